-- Schema of the external, read-only user database owned by the Hilo platform team.
-- Applied only by the dev/demo seed (scripts/seed/demo.ts); Ask Hilo never writes to it in production.
CREATE DATABASE IF NOT EXISTS hilo_users;

CREATE TABLE IF NOT EXISTS hilo_users.users (
  user_id VARCHAR(64) PRIMARY KEY,
  watch_id VARCHAR(64) NOT NULL UNIQUE,
  first_name VARCHAR(100) NOT NULL,
  timezone VARCHAR(64) NOT NULL,
  target_systolic_min SMALLINT NOT NULL,
  target_systolic_max SMALLINT NOT NULL,
  target_diastolic_min SMALLINT NOT NULL,
  target_diastolic_max SMALLINT NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
