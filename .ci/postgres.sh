#!/usr/bin/env bash
# CI hook (called by .ci/run when present): a PostgreSQL server on loopback for the tests that claim Postgres.
#
# Installs PostgreSQL from Debian's packages (apt-get, non-interactive) when it is missing, starts a cluster on
# 127.0.0.1, and creates the role `jitlsp` (password `jitlsp`) and the database `jitlsp_test`. It exports nothing:
# the connection URL is written to /tmp/jitlsp-pg-url, where service/test/db finds it (the environment variable
# JITLSP_TEST_DATABASE_URL overrides it). Idempotent, and quick when everything is already there.
set -euo pipefail

PG_USER=jitlsp
PG_PASSWORD=jitlsp
PG_DB=jitlsp_test
URL_FILE=/tmp/jitlsp-pg-url

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
as_postgres() { as_root runuser -u postgres -- "$@"; }
log() { echo "postgres.sh: $*"; }

if ! command -v pg_lsclusters >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing PostgreSQL from the Debian packages"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
# pg_lsclusters -h: "<version> <cluster> <port> <status> <owner> <datadir> <logfile>"
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
  log "creating cluster $version/main"
  as_root pg_createcluster "$version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
  log "starting cluster $version/main"
  as_root pg_ctlcluster "$version" main start
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')

for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$port" || { echo "postgres.sh: the server on 127.0.0.1:$port is not ready" >&2; exit 1; }

as_postgres psql -q -v ON_ERROR_STOP=1 -p "$port" -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD' CREATEDB;
  END IF;
END \$\$;
SELECT 'CREATE DATABASE $PG_DB OWNER $PG_USER' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DB')
\gexec
SQL

url="postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$port/$PG_DB"
echo "$url" > "$URL_FILE"
log "ready: $url (written to $URL_FILE)"
