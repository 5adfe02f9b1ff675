#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on a loopback port, run the given command against it, stop it.
# Used by `make test-postgres`. As root, the cluster runs as the `postgres` user.
set -euo pipefail
: "${PG_BIN:?}" "${PG_DIR:?}" "${PG_PORT:?}"

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

rm -rf "$PG_DIR"
mkdir -p "$PG_DIR"
[ "$(id -u)" = "0" ] && chown postgres "$PG_DIR"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" \
  -l "$PG_DIR/server.log" -w start >/dev/null
trap 'as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null; rm -rf "$PG_DIR"' EXIT
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres thinkdo_test
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres thinkdo_migrations

export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/thinkdo_test"
export TEST_MIGRATION_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/thinkdo_migrations"
"$@"
