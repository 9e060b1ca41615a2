#!/usr/bin/env bash
# A real PostgreSQL server on loopback for the tests that run the repositories and the server on
# PostgreSQL: Debian's PostgreSQL, a cluster of its own in DIR, trust authentication on 127.0.0.1.
#
#   pg_loopback.sh start DIR   makes the cluster, starts it on a free port, creates the database
#                              "dangan" and writes DIR/url (postgresql://dangan@127.0.0.1:PORT/dangan)
#   pg_loopback.sh stop DIR    stops it and removes DIR
#
# PostgreSQL refuses to run as root: under root the cluster is the postgres user's (the package
# makes that user). fsync is off: the tests check the archive's behaviour, not the disk's.
# PG_EXTRA_OPTIONS (for instance "-c fsync=on -c shared_buffers=4GB", as the benchmarks start it)
# is added after these settings and overrides them.
set -euo pipefail
action=$1
dir=$(realpath -m "$2")
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "pg_loopback: PostgreSQL is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
as=()
if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi

case $action in
start)
  rm -rf "$dir"
  mkdir -p "$dir"
  [ ${#as[@]} -gt 0 ] && chown postgres "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U dangan --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400 -c shared_buffers=64MB ${PG_EXTRA_OPTIONS:-}" \
    start >/dev/null || { cat "$dir/data/server.log" >&2; exit 1; }
  "$bin/psql" -q -h 127.0.0.1 -p "$port" -U dangan -d postgres -c "CREATE DATABASE dangan" >/dev/null
  echo "postgresql://dangan@127.0.0.1:$port/dangan" > "$dir/url"
  cat "$dir/url"
  ;;
stop)
  if [ -d "$dir/data" ]; then "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: pg_loopback.sh start|stop DIR" >&2
  exit 2
  ;;
esac
