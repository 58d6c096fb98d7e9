#!/usr/bin/env bash
# Starts a local PostgreSQL server for the @tenant-lint/runtime tests and prints the URL to use:
#
#   eval "$(bash scripts/start-postgres.sh)"   # sets TENANT_LINT_PG_URL
#
# Debian/Ubuntu, as root (or with sudo). Idempotent: installs Debian's `postgresql` only when no
# server is installed, creates the cluster only when missing, starts it only when stopped, and
# (re)creates the role and database only when missing. Everything but the final `export` line goes
# to stderr.
#
# Overridable: TENANT_LINT_PG_PORT (5432), TENANT_LINT_PG_ROLE / _PASSWORD / _DATABASE (tenant_lint),
# TENANT_LINT_PG_CLUSTER (main). The printed URL does not percent-encode, so keep the role and
# password URL-safe.
#
# The role is deliberately NOT a superuser and has no BYPASSRLS: row level security is enforced
# for it, which the RLS tests depend on.
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT="${TENANT_LINT_PG_PORT:-5432}"
PG_ROLE="${TENANT_LINT_PG_ROLE:-tenant_lint}"
PG_PASSWORD="${TENANT_LINT_PG_PASSWORD:-tenant_lint}"
PG_DATABASE="${TENANT_LINT_PG_DATABASE:-tenant_lint}"
CLUSTER="${TENANT_LINT_PG_CLUSTER:-main}"

log() { echo "start-postgres: $*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Runs a command as the postgres OS user (peer authentication over the local socket).
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

installed_version() {
  # Newest major version that has a server binary.
  ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sed -E 's#/usr/lib/postgresql/([^/]+)/.*#\1#' | sort -V | tail -n 1
}

install_server() {
  log "installing Debian's postgresql package"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
}

ensure_cluster() {
  local version=$1
  if ! pg_lsclusters --no-header 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$version $CLUSTER"; then
    log "creating cluster $version/$CLUSTER on port $PG_PORT"
    as_root pg_createcluster "$version" "$CLUSTER" --port "$PG_PORT" >&2
  fi
  local port
  port=$(pg_lsclusters --no-header | awk -v v="$version" -v c="$CLUSTER" '$1==v && $2==c {print $3}')
  [ "$port" = "$PG_PORT" ] || die "cluster $version/$CLUSTER uses port $port, expected $PG_PORT (set TENANT_LINT_PG_PORT=$port)"
}

ensure_running() {
  local version=$1
  if as_root pg_ctlcluster "$version" "$CLUSTER" status >/dev/null 2>&1; then
    log "cluster $version/$CLUSTER already running"
  else
    log "starting cluster $version/$CLUSTER"
    # pg_ctlcluster as root switches to the postgres user and uses pg_ctl (no systemd needed).
    as_root pg_ctlcluster "$version" "$CLUSTER" start >&2
  fi
  for _ in $(seq 1 60); do
    if pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then return 0; fi
    sleep 0.5
  done
  die "server did not accept connections on $PG_HOST:$PG_PORT within 30 s"
}

psql_admin() {
  as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"
}

ensure_role_and_database() {
  log "ensuring role $PG_ROLE and database $PG_DATABASE"
  # psql variables (:'name') quote the values, so unusual passwords stay literals.
  psql_admin -d postgres -v role="$PG_ROLE" -v password="$PG_PASSWORD" >&2 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE PASSWORD %L', :'role', :'password') \gexec
SQL
  psql_admin -d postgres -v role="$PG_ROLE" -v db="$PG_DATABASE" >&2 <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
}

check_login() {
  PGPASSWORD="$PG_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_ROLE" -d "$PG_DATABASE" \
    -tAc "SELECT 1" >/dev/null || die "cannot log in as $PG_ROLE over TCP"
}

main() {
  local version
  version=$(installed_version)
  if [ -z "$version" ]; then
    install_server
    version=$(installed_version)
    [ -n "$version" ] || die "postgresql installed but no server binary found"
  fi
  ensure_cluster "$version"
  ensure_running "$version"
  ensure_role_and_database
  check_login
  echo "export TENANT_LINT_PG_URL=postgres://${PG_ROLE}:${PG_PASSWORD}@${PG_HOST}:${PG_PORT}/${PG_DATABASE}"
}

main "$@"
