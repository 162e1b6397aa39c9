#!/usr/bin/env bash
# Local RabbitMQ broker for Orchestrator (Debian/Ubuntu, no Docker needed).
#
#   scripts/rabbitmq.sh ensure   install (apt) + configure + start the broker, create the
#                                `orchestrator` user; prints ONE line on stdout, the connection string:
#                                  export ConnectionStrings__messaging="$(scripts/rabbitmq.sh ensure)"
#   scripts/rabbitmq.sh stop     stop the broker
#   scripts/rabbitmq.sh status   print "running" / "stopped" (exit 0 / 3)
#
# Environment:
#   ORCHESTRATOR_STATE_DIR               default $HOME/.orchestrator (holds rabbitmq-password, 0600)
#   ORCHESTRATOR_RABBITMQ_PORT           AMQP port, default 5672
#   ORCHESTRATOR_RABBITMQ_MANAGEMENT_PORT  management UI/API port, default 15672
#
# The broker is the machine-wide Debian service (rabbitmq-server 3.10 from apt). This script owns
# /etc/rabbitmq/rabbitmq.conf: listeners on loopback only, consumer_timeout = 25 h (agent tasks can
# hold a message for as long as Features:TaskTimeout allows, up to a day). Progress goes to stderr; stdout carries only the
# connection string. Idempotent: a second `ensure` with the broker up takes well under a second.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

readonly RMQ_USER=orchestrator
readonly AMQP_PORT="${ORCHESTRATOR_RABBITMQ_PORT:-5672}"
readonly MGMT_PORT="${ORCHESTRATOR_RABBITMQ_MANAGEMENT_PORT:-15672}"
readonly STATE_DIR="${ORCHESTRATOR_STATE_DIR:-${HOME:-/root}/.orchestrator}"
readonly PASSWORD_FILE="$STATE_DIR/rabbitmq-password"
readonly CONF_FILE=/etc/rabbitmq/rabbitmq.conf
readonly PLUGINS_FILE=/etc/rabbitmq/enabled_plugins
# Hash of the config the running broker was (re)started with by this script.
readonly APPLIED_STAMP=/var/lib/rabbitmq/.orchestrator-applied-config
readonly LOG_DIR=/var/log/rabbitmq
readonly START_TIMEOUT=300

log() { printf 'rabbitmq: %s\n' "$*" >&2; }
die() { printf 'rabbitmq: ERROR: %s\n' "$*" >&2; exit 1; }

[[ "$AMQP_PORT" =~ ^[0-9]+$ ]] || die "ORCHESTRATOR_RABBITMQ_PORT must be a number (got '$AMQP_PORT')"
[[ "$MGMT_PORT" =~ ^[0-9]+$ ]] || die "ORCHESTRATOR_RABBITMQ_MANAGEMENT_PORT must be a number (got '$MGMT_PORT')"

# Privileged commands: run directly as root, through sudo otherwise. fd 8 (the `ensure` lock) is
# closed, or daemons started underneath (beam.smp, epmd) would hold the lock forever.
as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@" 8<&-
  elif command -v sudo >/dev/null; then sudo -n "$@" 8<&-
  else die "must run as root (or with passwordless sudo) to install/configure/start RabbitMQ"
  fi
}

# rabbitmqctl & co. cd to /var/lib/rabbitmq themselves; run them from / so a deleted cwd is harmless.
ctl()   { (cd / && as_root timeout 120 rabbitmqctl "$@"); }
diag()  { (cd / && as_root timeout 30 rabbitmq-diagnostics "$@"); }

service_cmd() {  # service_cmd start|stop|restart
  if command -v service >/dev/null; then as_root timeout "$START_TIMEOUT" service rabbitmq-server "$1"
  else as_root timeout "$START_TIMEOUT" /etc/init.d/rabbitmq-server "$1"
  fi
}

installed() { command -v rabbitmqctl >/dev/null 2>&1 || [[ -x /usr/sbin/rabbitmqctl ]]; }
# The rabbit application is up (ping alone only proves the Erlang VM answers: a node whose boot
# failed answers ping for a few seconds while it halts).
running()   { installed && diag -q check_running >/dev/null 2>&1; }
# Running, or an Erlang node is up and gets there within a minute (booting, started by someone else).
running_or_booting() {
  running && return 0
  diag -q ping >/dev/null 2>&1 || return 1
  log "node is up but the broker is not running yet; waiting up to 60 s..."
  (cd / && as_root timeout 70 rabbitmqctl -q await_startup --timeout 60) >/dev/null 2>&1 && return 0
  # A node whose boot failed: let it finish halting so that a new start is not refused.
  local i
  for i in 1 2 3 4 5 6 7 8 9 10; do
    diag -q ping >/dev/null 2>&1 || return 1
    sleep 3
  done
  return 1
}

desired_config() {
  echo "# Managed by Orchestrator scripts/rabbitmq.sh -- rewritten by 'scripts/rabbitmq.sh ensure'."
  echo "# An agent task holds its message until it ends; Features:TaskTimeout may be up to a day: allow 25 h, so the"
  echo "# broker never closes an agent's channel mid-task (the orchestrator's own deadlines end a task long before)."
  echo "consumer_timeout = 90000000"
  echo "listeners.tcp.1 = 127.0.0.1:$AMQP_PORT"
  # ::1 only when the loopback has IPv6, or the broker refuses to boot.
  if grep -qs '^00000000000000000000000000000001 .* lo$' /proc/net/if_inet6; then
    echo "listeners.tcp.2 = ::1:$AMQP_PORT"
  fi
  echo "management.tcp.ip = 127.0.0.1"
  echo "management.tcp.port = $MGMT_PORT"
}

show_logs() {
  local f
  for f in "$LOG_DIR/startup_err" "$LOG_DIR/startup_log"; do
    [[ -s "$f" ]] || continue
    printf -- '----- tail of %s -----\n' "$f" >&2
    tail -n 30 "$f" >&2 || true
  done
  f="$(ls -t "$LOG_DIR"/rabbit@*.log 2>/dev/null | grep -v _upgrade | head -n 1 || true)"
  if [[ -n "$f" && -s "$f" ]]; then
    printf -- '----- last errors in %s -----\n' "$f" >&2
    grep -E '\[(error|critical)\]' "$f" | tail -n 20 >&2 || tail -n 20 "$f" >&2 || true
  fi
  if [[ -f /var/lib/rabbitmq/erl_crash.dump ]]; then
    printf -- '----- /var/lib/rabbitmq/erl_crash.dump: %s\n' \
      "$(grep -m1 '^Slogan' /var/lib/rabbitmq/erl_crash.dump 2>/dev/null || echo '(no slogan)')" >&2
  fi
}

# Reuse the stored password, or create one ([A-Za-z0-9] only: no URL encoding needed).
load_password() {
  local pw=""
  if [[ -f "$PASSWORD_FILE" ]]; then
    pw="$(tr -d '[:space:]' <"$PASSWORD_FILE")"
    if [[ ! "$pw" =~ ^[A-Za-z0-9]{16,}$ ]]; then
      log "ignoring unusable password in $PASSWORD_FILE; generating a new one"
      pw=""
    fi
  fi
  if [[ -z "$pw" ]]; then
    while [[ ${#pw} -lt 32 ]]; do
      pw+="$(head -c 256 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')"
    done
    pw="${pw:0:32}"
    if [[ ! -d "$STATE_DIR" ]]; then
      (umask 077 && mkdir -p "$STATE_DIR")
      chmod 700 "$STATE_DIR"
    fi
    (umask 077 && printf '%s\n' "$pw" >"$PASSWORD_FILE.tmp")
    mv -f "$PASSWORD_FILE.tmp" "$PASSWORD_FILE"
    log "generated a new password for user '$RMQ_USER' in $PASSWORD_FILE"
  fi
  chmod 600 "$PASSWORD_FILE"
  PASSWORD="$pw"
}

# Broker up with our config, user present with this password and access to vhost '/'?
# One HTTP call to the management API instead of several 1 s rabbitmqctl round trips.
ready() {
  [[ -f "$CONF_FILE" && "$(cat "$CONF_FILE")" == "$1" ]] || return 1
  [[ -f "$APPLIED_STAMP" && "$(cat "$APPLIED_STAMP" 2>/dev/null)" == "$2" ]] || return 1
  command -v curl >/dev/null || return 1
  local vhosts
  vhosts="$(curl -fsS --max-time 5 -u "$RMQ_USER:$PASSWORD" \
    "http://127.0.0.1:$MGMT_PORT/api/vhosts?columns=name" 2>/dev/null)" || return 1
  [[ "$vhosts" == *'"name":"/"'* ]] || return 1
  timeout 3 bash -c "exec 9<>/dev/tcp/127.0.0.1/$AMQP_PORT" 2>/dev/null
}

ensure() {
  # Everything but the final connection string goes to stderr.
  exec 3>&1 1>&2

  # Serialize concurrent `ensure` runs (password creation, config writes, service start).
  local lock=/tmp/orchestrator-rabbitmq.lock
  if [[ ! -e "$lock" ]]; then (umask 000 && : >>"$lock") 2>/dev/null || true; fi
  if { exec 8<"$lock"; } 2>/dev/null && command -v flock >/dev/null; then
    flock -w 900 8 || die "timed out waiting for another 'rabbitmq.sh ensure' (lock $lock)"
  fi

  load_password
  local config hash
  config="$(desired_config)"
  hash="$(printf '%s' "$config" | sha256sum | cut -d' ' -f1)"

  if installed && ready "$config" "$hash"; then
    log "broker already running and configured (port $AMQP_PORT)"
  else
    # 1. Install.
    if ! installed; then
      log "installing rabbitmq-server (apt)..."
      export DEBIAN_FRONTEND=noninteractive
      as_root apt-get update -qq >&2
      as_root apt-get install -y -qq --no-install-recommends rabbitmq-server >&2
      installed || die "rabbitmq-server installation failed"
    fi

    # 2. Config + management plugin (written before the first start).
    local config_written=0
    if [[ ! -f "$CONF_FILE" || "$(cat "$CONF_FILE")" != "$config" ]]; then
      if [[ -f "$CONF_FILE" ]] && ! grep -q 'Managed by Orchestrator' "$CONF_FILE"; then
        as_root cp -p "$CONF_FILE" "$CONF_FILE.orig.$(date +%Y%m%d%H%M%S)"
        log "backed up the existing $CONF_FILE"
      fi
      printf '%s\n' "$config" | as_root tee "$CONF_FILE.tmp" >/dev/null
      as_root chmod 644 "$CONF_FILE.tmp"
      as_root mv -f "$CONF_FILE.tmp" "$CONF_FILE"
      config_written=1
      log "wrote $CONF_FILE"
    fi

    local is_running=0
    running_or_booting && is_running=1

    if ! grep -qs 'rabbitmq_management' "$PLUGINS_FILE"; then
      log "enabling the management plugin..."
      if [[ $is_running -eq 1 ]]; then
        (cd / && as_root rabbitmq-plugins -q enable rabbitmq_management) >/dev/null
      else
        (cd / && as_root rabbitmq-plugins -q enable --offline rabbitmq_management) >/dev/null
      fi
    fi

    # 3. Start (or restart when the running broker has another config).
    local action=""
    if [[ $is_running -eq 0 ]]; then
      action=start
    elif [[ $config_written -eq 1 || "$(cat "$APPLIED_STAMP" 2>/dev/null)" != "$hash" ]]; then
      action=restart
    fi
    if [[ -n "$action" ]]; then
      log "${action}ing the broker (blocks until ready, usually 6-20 s)..."
      # The broker must not inherit fd 3 (the caller's $(...) pipe) or fd 8 (the lock): it would hold them for its life.
      if ! service_cmd "$action" >/dev/null 2>&1 3>&- 8>&- </dev/null || ! running; then
        show_logs
        die "RabbitMQ failed to $action (logs above; more in $LOG_DIR)"
      fi
      printf '%s\n' "$hash" | as_root tee "$APPLIED_STAMP" >/dev/null
      log "broker is up on 127.0.0.1:$AMQP_PORT (management http://127.0.0.1:$MGMT_PORT/)"
    fi

    # 4. User + password + permissions in one call; the password goes through stdin, not argv.
    log "ensuring user '$RMQ_USER'..."
    printf '{"users":[{"name":"%s","password":"%s","tags":["management"]}],"permissions":[{"user":"%s","vhost":"/","configure":".*","write":".*","read":".*"}]}' \
      "$RMQ_USER" "$PASSWORD" "$RMQ_USER" \
      | ctl -q import_definitions --format json >/dev/null \
      || die "could not create/update user '$RMQ_USER' (rabbitmqctl import_definitions failed)"
  fi

  printf 'amqp://%s:%s@localhost:%s/\n' "$RMQ_USER" "$PASSWORD" "$AMQP_PORT" >&3
}

case "${1:-}" in
  ensure)
    ensure
    ;;
  stop)
    if installed; then
      log "stopping the broker..."
      service_cmd stop >&2
    else
      log "rabbitmq-server is not installed"
    fi
    ;;
  status)
    if running; then echo running; else echo stopped; exit 3; fi
    ;;
  *)
    echo "usage: $0 ensure|stop|status" >&2
    echo "  ensure  install/configure/start the local broker; prints the AMQP connection string" >&2
    exit 2
    ;;
esac
