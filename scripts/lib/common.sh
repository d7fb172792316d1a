# Shared by scripts/dev, scripts/test and scripts/stack/*: paths, ports, and small helpers.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL="$ROOT/.local"
LOGS="$LOCAL/logs"
PIDS="$LOCAL/pids"
mkdir -p "$LOGS" "$PIDS"

# Ports of the local stack; override any of them to run two stacks side by side.
: "${HILO_STACK_MARIADB_PORT:=13306}"
: "${HILO_STACK_REDIS_PORT:=16379}"
: "${HILO_STACK_PGLITE_PORT:=15432}"
: "${HILO_STACK_MONGO_PORT:=27018}"
: "${HILO_STACK_OPENAI_PORT:=18081}"

log() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() { # name port seconds
  local name=$1 port=$2 seconds=${3:-30} i
  for ((i = 0; i < seconds * 10; i++)); do
    port_open "$port" && return 0
    if [[ -f $PIDS/$name.pid ]] && ! kill -0 "$(cat "$PIDS/$name.pid")" 2>/dev/null; then
      log "$name exited before opening port $port; last log lines:"
      tail -n 20 "$LOGS/$name.log" >&2 || true
      return 1
    fi
    sleep 0.1
  done
  log "$name did not open port $port within ${seconds}s; last log lines:"
  tail -n 20 "$LOGS/$name.log" >&2 || true
  return 1
}

pid_alive() { # name
  local file="$PIDS/$1.pid"
  [[ -f $file ]] && kill -0 "$(cat "$file")" 2>/dev/null
}

# Starts a long-running server detached from this shell (own session, output to a log file), so
# it never holds the caller's stdout open and survives the script unless we stop it.
spawn() { # name command...
  local name=$1
  shift
  setsid nohup "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
}

stop_service() { # name
  local file="$PIDS/$1.pid" pid i
  [[ -f $file ]] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$file"
  log "stopped $1"
}

ensure_bun() {
  if ! command -v bun >/dev/null 2>&1; then
    command -v npm >/dev/null 2>&1 || die "neither bun nor npm is installed; install Node.js (npm) first"
    log "installing Bun through npm"
    npm install -g bun >"$LOGS/bun-install.log" 2>&1 || die "npm install -g bun failed (see $LOGS/bun-install.log)"
  fi
}

ensure_node_modules() {
  (cd "$ROOT" && bun install --frozen-lockfile >"$LOGS/bun-install-deps.log" 2>&1) ||
    die "bun install --frozen-lockfile failed (see $LOGS/bun-install-deps.log)"
}
