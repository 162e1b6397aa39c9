#!/usr/bin/env bash
# Writes the dev overlay's secret files (git-ignored) with fresh random passwords, consistent with each other:
# the broker's user, the services' amqp:// connection string and KEDA's management URI share one password.
#   deploy/kubernetes/overlays/dev/secrets/create.sh          keeps files that exist
#   deploy/kubernetes/overlays/dev/secrets/create.sh --force  writes them all again
# Nothing is printed but the names of the files written.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
umask 077

force=false
[[ "${1:-}" == "--force" ]] && force=true
if ! $force && ls ./*.env >/dev/null 2>&1; then
  echo "secret files exist; --force writes new ones (then re-apply the overlay and restart the pods)" >&2
  exit 0
fi

random() { head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32; }
rabbit_password="$(random)"
postgres_password="$(random)"
api_key="$(random)"

printf 'username=orchestrator\npassword=%s\n' "$rabbit_password" > rabbitmq.env
printf 'username=orchestrator\npassword=%s\n' "$postgres_password" > postgres.env
printf 'connection-string=amqp://orchestrator:%s@rabbitmq:5672/orchestrator\nmanagement-uri=http://orchestrator:%s@rabbitmq:15672/orchestrator\n' \
  "$rabbit_password" "$rabbit_password" > orchestrator-messaging.env
printf 'connection-string=Host=postgres;Port=5432;Database=orchestrator;Username=orchestrator;Password=%s\n' \
  "$postgres_password" > orchestrator-state.env
printf 'Api__Keys__dev=%s\n' "$api_key" > orchestrator-api-keys.env
ls ./*.env
