#!/usr/bin/env bash
# Starts or stops a local PostgreSQL for the test suite and benchmarks (Debian's packages).
# `start` installs the server if absent, starts the cluster, and makes sure the
# `annotator` role exists; it remembers whether it started the cluster, so `stop`
# leaves alone a server that was already running before.
set -euo pipefail
state="var/postgres-started-by-us"
mkdir -p var

as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }

case "${1:-}" in
  start)
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
      echo "Installing PostgreSQL (Debian's postgresql package)..."
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    pg_lsclusters -h | grep -q "^$version main" || pg_createcluster "$version" main >/dev/null
    if ! pg_lsclusters -h | grep -q "^$version main.*online"; then
      pg_ctlcluster "$version" main start
      echo "$version" > "$state"
    fi
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 0.5; done
    as_postgres "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='annotator'\"" | grep -q 1 ||
      as_postgres "psql -qc \"CREATE ROLE annotator LOGIN CREATEDB PASSWORD 'annotator'\""
    as_postgres "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='annotator'\"" | grep -q 1 ||
      as_postgres "createdb -O annotator annotator"
    ;;
  stop)
    if [ -f "$state" ]; then
      pg_ctlcluster "$(cat "$state")" main stop || true
      rm -f "$state"
    fi
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
