#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests that need a real one (JdbcStorePostgresIT and later the worker tests).
#
#   eval "$(bash .ci/postgres.sh start)"   # installs if needed, starts, prints the export lines (to stdout only)
#   bash .ci/postgres.sh env               # prints the export lines of the running server again
#   bash .ci/postgres.sh stop              # stops the server (the cluster directory is kept for a fast restart)
#   bash .ci/postgres.sh destroy           # stops it and deletes the cluster directory
#
# Idempotent: `start` on a running server only prints its variables. Progress goes to stderr, so stdout is exactly the
# export lines. The cluster lives in ORCHESTRATOR_PG_DIR (default /tmp/orchestrator-pg), owned by the postgres user,
# listens on 127.0.0.1 only, on ORCHESTRATOR_PG_PORT (default 55432, or the next free port), with durability switched
# off (fsync, synchronous_commit) because it is thrown away. The password is random, made once per cluster, and kept
# in the cluster directory with mode 600; the export lines are also written to $ORCHESTRATOR_PG_DIR/env.sh.
set -euo pipefail

DIR="${ORCHESTRATOR_PG_DIR:-/tmp/orchestrator-pg}"
PORT="${ORCHESTRATOR_PG_PORT:-55432}"
DB_USER=orchestrator
DB_NAME=orchestrator_test

log() { echo "postgres.sh: $*" >&2; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

bin_dir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
    return 1
  fi
  echo "$d"
}

install_if_missing() {
  if bin_dir >/dev/null; then
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    log "PostgreSQL is not installed and this is not root: run 'apt-get install -y postgresql' first"
    exit 1
  fi
  log "installing PostgreSQL from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bin_dir >/dev/null || { log "postgresql installed but no initdb under /usr/lib/postgresql/*/bin"; exit 1; }
}

running() {
  [ -f "$DIR/data/PG_VERSION" ] && as_postgres "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

print_env() {
  local port password
  port="$(cat "$DIR/port")"
  password="$(cat "$DIR/password")"
  {
    echo "export ORCHESTRATOR_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:${port}/${DB_NAME}'"
    echo "export ORCHESTRATOR_TEST_POSTGRES_USER='${DB_USER}'"
    echo "export ORCHESTRATOR_TEST_POSTGRES_PASSWORD='${password}'"
  } > "$DIR/env.sh"
  chmod 600 "$DIR/env.sh"
  cat "$DIR/env.sh"
}

init_cluster() {
  log "creating a cluster in $DIR/data"
  mkdir -p "$DIR"
  chown postgres:postgres "$DIR" 2>/dev/null || true
  chmod 700 "$DIR"
  if [ ! -s "$DIR/password" ]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$DIR/password")
  fi
  chown postgres:postgres "$DIR/password" 2>/dev/null || true
  as_postgres "$BIN/initdb" -D "$DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$DIR/initdb.log" 2>&1 \
    || { log "initdb failed:"; cat "$DIR/initdb.log" >&2; exit 1; }
}

start() {
  install_if_missing
  BIN="$(bin_dir)"
  if running && [ -s "$DIR/port" ]; then
    log "already running on port $(cat "$DIR/port")"
    print_env
    return 0
  fi
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    rm -rf "$DIR/data"
    init_cluster
  fi
  local p=$PORT
  while ! port_free "$p"; do
    p=$((p + 1))
    if [ "$p" -gt $((PORT + 50)) ]; then
      log "no free port in $PORT..$((PORT + 50))"
      exit 1
    fi
  done
  echo "$p" > "$DIR/port"
  log "starting on 127.0.0.1:$p"
  as_postgres "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 \
      -o "-p $p -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >&2 \
    || { log "pg_ctl start failed:"; tail -20 "$DIR/server.log" >&2; exit 1; }
  # The role and database, made once; the password is set every time so that it always matches the file.
  local password
  password="$(cat "$DIR/password")"
  as_postgres "$BIN/psql" -h "$DIR" -p "$p" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >/dev/null <<SQL
SELECT 'CREATE ROLE ${DB_USER} LOGIN CREATEDB' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${DB_USER}')
\gexec
ALTER ROLE ${DB_USER} PASSWORD '${password}';
SELECT 'CREATE DATABASE ${DB_NAME} OWNER ${DB_USER}' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}')
\gexec
SQL
  print_env
}

stop() {
  BIN="$(bin_dir)" || { log "PostgreSQL is not installed: nothing to stop"; return 0; }
  if running; then
    log "stopping"
    as_postgres "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >&2
  else
    log "not running"
  fi
}

case "${1:-start}" in
  start) start ;;
  env) BIN="$(bin_dir)"; running || { log "not running: use start"; exit 1; }; print_env ;;
  stop) stop ;;
  destroy) stop; rm -rf "$DIR"; log "removed $DIR" ;;
  *) log "usage: $0 start|env|stop|destroy"; exit 2 ;;
esac
