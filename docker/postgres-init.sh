#!/usr/bin/env bash
# Runs once, when the postgres container starts on an empty data directory
# (mounted into /docker-entrypoint-initdb.d by docker-compose.yml).
#   brm_owner: owns the database and its tables; migrations run as it.
#   brm_app:   the runtime role of web/worker/beat; no BYPASSRLS, so row-level
#              security policies apply to it.
# Passwords come from the container environment. The app's migrations must
# grant table privileges to brm_app.
set -euo pipefail

psql -v ON_ERROR_STOP=1 -X --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
    -v owner_pw="${BRM_OWNER_DB_PASSWORD:?BRM_OWNER_DB_PASSWORD is not set}" \
    -v app_pw="${BRM_APP_DB_PASSWORD:?BRM_APP_DB_PASSWORD is not set}" <<'SQL'
CREATE ROLE brm_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'owner_pw';
CREATE ROLE brm_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'app_pw';
CREATE DATABASE brm OWNER brm_owner;
REVOKE ALL ON DATABASE brm FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE brm TO brm_app;
\connect brm
GRANT USAGE ON SCHEMA public TO brm_app;
SQL
