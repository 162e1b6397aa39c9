#!/usr/bin/env bash
# Local PostgreSQL for Orchestrator's state store (Debian/Ubuntu, no Docker needed).
#
#   scripts/postgres.sh ensure   install (apt) + start the Debian cluster, create the `orchestrator` role and database;
#                                prints ONE line on stdout, the connection string:
#                                  export ConnectionStrings__state="$(scripts/postgres.sh ensure)"
#   scripts/postgres.sh stop     stop the cluster
#   scripts/postgres.sh status   print "running" / "stopped" (exit 0 / 3)
#
# Environment:
#   ORCHESTRATOR_STATE_DIR   default $HOME/.orchestrator (holds postgres-password, 0600)
#
# The cluster is the machine-wide Debian one (postgresql-15, listening on 127.0.0.1:5432 as Debian configures it).
# The role may create databases, so tests can each use a fresh one. Progress goes to stderr; stdout carries only the
# connection string. Idempotent: a second `ensure` with the cluster up takes well under a second.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

readonly PG_ROLE=orchestrator
readonly PG_DATABASE=orchestrator
readonly STATE_DIR="${ORCHESTRATOR_STATE_DIR:-${HOME:-/root}/.orchestrator}"
readonly PASSWORD_FILE="$STATE_DIR/postgres-password"

log() { printf 'postgres: %s\n' "$*" >&2; }
die() { printf 'postgres: ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo -n "$@"
  else die "must run as root (or with passwordless sudo) to install/start PostgreSQL"
  fi
}

# psql as the cluster's superuser, over the local socket (peer authentication), from / so any cwd is fine.
as_postgres() { (cd / && as_root runuser -u postgres -- "$@"); }

installed() { command -v pg_lsclusters >/dev/null 2>&1 && [[ -n "$(cluster)" ]]; }

# "<version> <name>" of the first cluster, or nothing.
cluster() { pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 { print $1, $2 }'; }

running() { installed && pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 { exit ($4 == "online") ? 0 : 1 }'; }

port() { pg_lsclusters --no-header | awk 'NR==1 { print $3 }'; }

load_password() {
  local pw=""
  if [[ -f "$PASSWORD_FILE" ]]; then
    pw="$(tr -d '[:space:]' <"$PASSWORD_FILE")"
    [[ "$pw" =~ ^[A-Za-z0-9]{16,}$ ]] || pw=""
  fi
  if [[ -z "$pw" ]]; then
    while [[ ${#pw} -lt 32 ]]; do pw+="$(head -c 256 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')"; done
    pw="${pw:0:32}"
    (umask 077 && mkdir -p "$STATE_DIR")
    (umask 077 && printf '%s\n' "$pw" >"$PASSWORD_FILE.tmp")
    mv -f "$PASSWORD_FILE.tmp" "$PASSWORD_FILE"
    log "generated a new password for role '$PG_ROLE' in $PASSWORD_FILE"
  fi
  chmod 600 "$PASSWORD_FILE"
  PASSWORD="$pw"
}

ensure() {
  exec 3>&1 1>&2
  load_password

  if ! installed; then
    log "installing postgresql (apt)..."
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends postgresql
    installed || die "postgresql installation failed"
  fi

  if ! running; then
    read -r version name <<<"$(cluster)"
    log "starting cluster $version/$name..."
    # The server must not inherit fd 3 (the caller's $(...) pipe): it would hold it open and `ensure` would never end.
    as_root pg_ctlcluster "$version" "$name" start 3>&- </dev/null || die "PostgreSQL failed to start (see /var/log/postgresql/)"
  fi

  # Role and database, created or updated; the password goes through stdin, never argv.
  as_postgres psql -q -v ON_ERROR_STOP=1 -v role="$PG_ROLE" -v password="$PASSWORD" -d postgres >/dev/null <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN CREATEDB PASSWORD %L', :'role', :'password') \gexec
SQL
  if ! as_postgres psql -tAq -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'" | grep -q 1; then
    as_postgres createdb -O "$PG_ROLE" "$PG_DATABASE"
    log "created database '$PG_DATABASE'"
  fi

  printf 'Host=127.0.0.1;Port=%s;Username=%s;Password=%s;Database=%s\n' "$(port)" "$PG_ROLE" "$PASSWORD" "$PG_DATABASE" >&3
}

case "${1:-}" in
  ensure) ensure ;;
  stop)
    if running; then read -r version name <<<"$(cluster)"; as_root pg_ctlcluster "$version" "$name" stop >&2; fi ;;
  status)
    if running; then echo running; else echo stopped; exit 3; fi ;;
  *)
    echo "usage: $0 ensure|stop|status" >&2
    exit 2 ;;
esac
