#!/usr/bin/env bash
# Brings the local stack up (reusing whatever already runs), then writes .local/stack.env.
# Prints the names of the services it started on stdout, so the caller can stop only those.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

started=()

install_debian_packages() {
  local missing=()
  command -v mariadbd >/dev/null 2>&1 || missing+=(mariadb-server mariadb-client)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) -ne 0 ]]; then
    die "missing ${missing[*]}: install them with 'sudo apt-get install ${missing[*]}' and re-run"
  fi
  log "installing ${missing[*]} from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    >"$LOGS/apt.log" 2>&1 || die "apt-get install failed (see $LOGS/apt.log)"
}

start_mariadb() {
  local data="$LOCAL/mariadb" port=$HILO_STACK_MARIADB_PORT
  if pid_alive mariadb || port_open "$port"; then return 0; fi
  if [[ ! -d $data/mysql ]]; then
    log "initialising MariaDB data directory"
    mkdir -p "$data"
    mariadb-install-db --no-defaults --datadir="$data" --user="$(id -un)" --auth-root-authentication-method=socket \
      --skip-test-db >"$LOGS/mariadb-init.log" 2>&1 || die "mariadb-install-db failed (see $LOGS/mariadb-init.log)"
  fi
  spawn mariadb mariadbd --no-defaults --datadir="$data" --user="$(id -un)" --bind-address=127.0.0.1 --port="$port" \
    --socket="$LOCAL/mariadb.sock" --pid-file="$LOCAL/mariadb.pidfile" --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_unicode_ci --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 \
    --max-connections=500 --skip-log-bin
  wait_for_port mariadb "$port" 60 || die "MariaDB did not start"
  started+=(mariadb)
  # The socket answers a moment after the port opens.
  local i
  for ((i = 0; i < 50; i++)); do mariadb --socket="$LOCAL/mariadb.sock" -e "SELECT 1" >/dev/null 2>&1 && break; sleep 0.1; done
  # hilo: the app's account, read/write on hilo_app and read-only on the external user DB, as in
  # production. hilo_admin: seeding and tests (creates scratch databases).
  mariadb --socket="$LOCAL/mariadb.sock" <<'SQL'
CREATE DATABASE IF NOT EXISTS hilo_app CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS hilo_users CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'hilo'@'127.0.0.1' IDENTIFIED BY 'hilo';
CREATE USER IF NOT EXISTS 'hilo'@'localhost' IDENTIFIED BY 'hilo';
GRANT ALL PRIVILEGES ON hilo_app.* TO 'hilo'@'127.0.0.1', 'hilo'@'localhost';
GRANT SELECT ON hilo_users.* TO 'hilo'@'127.0.0.1', 'hilo'@'localhost';
CREATE USER IF NOT EXISTS 'hilo_admin'@'127.0.0.1' IDENTIFIED BY 'hilo_admin';
CREATE USER IF NOT EXISTS 'hilo_admin'@'localhost' IDENTIFIED BY 'hilo_admin';
GRANT ALL PRIVILEGES ON *.* TO 'hilo_admin'@'127.0.0.1', 'hilo_admin'@'localhost' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL
}

start_redis() {
  local port=$HILO_STACK_REDIS_PORT
  if pid_alive redis || port_open "$port"; then return 0; fi
  mkdir -p "$LOCAL/redis"
  # noeviction: BullMQ and the turn logs must never lose keys silently under memory pressure.
  spawn redis redis-server --bind 127.0.0.1 --port "$port" --dir "$LOCAL/redis" --save "" --appendonly no \
    --maxmemory-policy noeviction --maxclients 20000
  wait_for_port redis "$port" 20 || die "Redis did not start"
  started+=(redis)
}

start_standin() { # name port command...
  local name=$1 port=$2
  shift 2
  if pid_alive "$name" || port_open "$port"; then return 0; fi
  spawn "$name" "$@"
  wait_for_port "$name" "$port" 60 || die "$name did not start"
  started+=("$name")
}

# The external user DB's fixed schema, as the platform owns it (idempotent).
prepare_users_db() {
  mariadb --protocol=TCP -h127.0.0.1 -P"$HILO_STACK_MARIADB_PORT" -uhilo_admin -philo_admin \
    <"$ROOT/scripts/seed/hilo-users.sql" || die "could not create the hilo_users schema"
}

install_debian_packages
start_mariadb
prepare_users_db
start_redis
mkdir -p "$LOCAL/pglite"
start_standin pglite "$HILO_STACK_PGLITE_PORT" bun "$ROOT/scripts/standins/pglite/main.ts" \
  --port "$HILO_STACK_PGLITE_PORT" --data "$LOCAL/pglite/data"
start_standin mongo "$HILO_STACK_MONGO_PORT" bun "$ROOT/scripts/standins/mongo/main.ts" --port "$HILO_STACK_MONGO_PORT"
start_standin openai "$HILO_STACK_OPENAI_PORT" bun "$ROOT/scripts/standins/openai/main.ts" \
  --port "$HILO_STACK_OPENAI_PORT" --token-delay-ms "${HILO_STACK_TOKEN_DELAY_MS:-15}"
# Intercom (handover and its reply webhook). Its settings go into stack.env under INTERCOM_STANDIN_*,
# not the app's INTERCOM_* keys, so only ./scripts/dev and the handover tests turn the feature on.
: "${HILO_STACK_INTERCOM_PORT:=18090}"
INTERCOM_STANDIN_TOKEN=dev-intercom-token
INTERCOM_STANDIN_CLIENT_SECRET=dev-intercom-client-secret
start_standin intercom "$HILO_STACK_INTERCOM_PORT" bun "$ROOT/scripts/standins/intercom/main.ts" \
  --port "$HILO_STACK_INTERCOM_PORT" --token "$INTERCOM_STANDIN_TOKEN" \
  --client-secret "$INTERCOM_STANDIN_CLIENT_SECRET" --webhook-url "http://127.0.0.1:${PORT:-8080}/webhooks/intercom"

# The dev console's JWT secret, drawn once per checkout, so every api of the stack (and a restart)
# accepts the same tokens.
[[ -s "$LOCAL/dev-jwt-secret" ]] || od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$LOCAL/dev-jwt-secret"

cat >"$LOCAL/stack.env" <<ENV
# Written by scripts/stack/up.sh: how to reach the local stack. Source it to join a second api.
APP_DB_URL=mysql://hilo:hilo@127.0.0.1:$HILO_STACK_MARIADB_PORT/hilo_app
HILO_USERS_DB_URL=mysql://hilo:hilo@127.0.0.1:$HILO_STACK_MARIADB_PORT/hilo_users
HILO_ADMIN_DB_URL=mysql://hilo_admin:hilo_admin@127.0.0.1:$HILO_STACK_MARIADB_PORT/hilo_app
MONGO_URL=mongodb://127.0.0.1:$HILO_STACK_MONGO_PORT/hilo?directConnection=true
FAQ_DB_URL=postgres://postgres:postgres@127.0.0.1:$HILO_STACK_PGLITE_PORT/postgres
REDIS_URL=redis://127.0.0.1:$HILO_STACK_REDIS_PORT
OPENAI_BASE_URL=http://127.0.0.1:$HILO_STACK_OPENAI_PORT/v1
OPENAI_API_KEY=dev-openai-key
OPENAI_STANDIN_URL=http://127.0.0.1:$HILO_STACK_OPENAI_PORT
INTERCOM_STANDIN_URL=http://127.0.0.1:$HILO_STACK_INTERCOM_PORT
INTERCOM_STANDIN_TOKEN=$INTERCOM_STANDIN_TOKEN
INTERCOM_STANDIN_CLIENT_SECRET=$INTERCOM_STANDIN_CLIENT_SECRET
HILO_DEV_JWT_SECRET=$(cat "$LOCAL/dev-jwt-secret")
ENV
log "stack up (.local/stack.env)${started:+; started: ${started[*]}}"
printf '%s\n' "${started[@]}"
