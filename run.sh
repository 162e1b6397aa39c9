#!/usr/bin/env bash
# Runs Orchestrator on this machine and builds the demo feature on the bundled sample repository, offline.
#   ./run.sh          start everything, submit the demo feature, show its progress and pull request; keep running
#   ./run.sh --once   the same, then stop and exit: 0 only if the pull request is open; the last line is a JSON summary
#   --llm "Endpoint=…;Key=…;Model=…"   drive the demo with a real OpenAI-compatible model instead of the scripted one
#   --state <dir>     keep the demo's key, logs, sample repository and feature state there (default: .orchestrator)
#   --no-build        use what the last build made (e.g. after `dotnet build Orchestrator.sln`)
# With ConnectionStrings__messaging set, that broker is used (e.g. a vhost of its own) and no local one is started.
set -euo pipefail
called_from=$(pwd)
cd "$(dirname "$0")"
root=$(pwd)

once=false
llm=""
state="$root/.orchestrator"
build=true
while [ $# -gt 0 ]; do
  case "$1" in
    --once) once=true ;;
    --llm) [ $# -ge 2 ] || { echo "run.sh: --llm needs a connection string" >&2; exit 3; }; llm="$2"; shift ;;
    --llm=*) llm="${1#--llm=}" ;;
    --state) [ $# -ge 2 ] || { echo "run.sh: --state needs a folder" >&2; exit 3; }; state="$2"; shift ;;
    --state=*) state="${1#--state=}" ;;
    --no-build) build=false ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (try --help)" >&2; exit 3 ;;
  esac
  shift
done
if [ -n "$llm" ]; then
  # Passed to the AppHost through its environment, never on a command line another user could read.
  export ConnectionStrings__llm="$llm"
fi

case "$state" in /*) ;; *) state="$called_from/$state" ;; esac
mkdir -p "$state"
state=$(cd "$state" && pwd)
# No outbound call nobody asked for: the dotnet CLI (build, and `dotnet run` of the AppHost) would report usage to
# Microsoft. The AppHost does the same for the services it starts.
export DOTNET_CLI_TELEMETRY_OPTOUT=1
log="$state/apphost.log"
api="${ORCHESTRATOR_API:-http://localhost:5080}"

say() { echo "[run] $*" >&2; }

command -v dotnet >/dev/null || { echo "run.sh: the .NET SDK (dotnet) is required: https://dot.net" >&2; exit 3; }
command -v git >/dev/null || { say "installing git"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git >/dev/null; }
say "checking the sandbox for repository commands (bubblewrap)"
scripts/bubblewrap.sh ensure

if curl -fsS -m 2 "$api/health" >/dev/null 2>&1; then
  echo "run.sh: something already answers at $api; stop the running Orchestrator first." >&2
  exit 3
fi

# The demo's API key: made once, owner-only, reused by later runs. The AppHost reads it from the file (Api:KeyFiles),
# so it is on no command line and not in the environment every service inherits; only the CLI gets it in its own.
key_file="$state/api-key"
if [[ ! "$(tr -d '[:space:]' 2>/dev/null <"$key_file")" =~ ^[0-9a-f]{64}$ ]]; then
  (umask 077 && head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n' >"$key_file.tmp" && mv -f "$key_file.tmp" "$key_file")
  say "generated the demo's API key in $key_file"
fi
chmod 600 "$key_file"
export Api__KeyFiles__demo="$key_file"
# The demo's repository is a local bare repository; local paths are refused unless this is on.
export Repositories__AllowLocal=true

if [ -n "${ConnectionStrings__messaging:-}" ]; then
  say "using the message broker of ConnectionStrings__messaging"
else
  say "starting the message broker (RabbitMQ)"
  ConnectionStrings__messaging="$(scripts/rabbitmq.sh ensure)"
fi
export ConnectionStrings__messaging

if [ "$build" = true ]; then
  say "building"
  # The sample's packages go to the machine's cache too: the demo's sandboxed restores then download nothing.
  { dotnet build Orchestrator.AppHost -nologo -v quiet -clp:NoSummary && dotnet build src/Orchestrator.Cli -nologo -v quiet -clp:NoSummary \
      && dotnet restore samples/calculator -v quiet; } \
    >"$state/build.log" 2>&1 || { cat "$state/build.log" >&2; exit 3; }
fi

say "creating the sample repository"
repository=$(samples/create-sample-repo.sh --force "$state/demo" | tail -n 1)

apphost_pid=""
stop_apphost() {
  if [ -n "$apphost_pid" ] && kill -0 "$apphost_pid" 2>/dev/null; then
    say "stopping"
    kill -TERM "$apphost_pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$apphost_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$apphost_pid" 2>/dev/null || true
  fi
}
trap stop_apphost EXIT
trap 'exit 130' INT TERM

say "starting the AppHost (log: $log)"
dotnet run --project Orchestrator.AppHost --launch-profile http --no-build -- \
  "State:Path=$state/state/orchestrator.db" "Models:CassettesPath=$state/cassettes" >"$log" 2>&1 &
apphost_pid=$!

for i in $(seq 1 180); do
  if curl -fsS -m 2 "$api/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$apphost_pid" 2>/dev/null; then echo "run.sh: the AppHost exited; see $log" >&2; tail -n 30 "$log" >&2; exit 3; fi
  [ "$i" = 180 ] && { echo "run.sh: the orchestrator did not become healthy within 180 s; see $log" >&2; exit 3; }
  sleep 1
done
login=$(grep -o 'http://localhost:15888/login?t=[0-9a-f]*' "$log" | tail -n 1 || true)
say "dashboard: ${login:-http://localhost:15888}"
say "API: $api; its key is in $key_file (try: curl -H \"Authorization: Bearer \$(cat $key_file)\" $api/features)"
say "board: $api/board/ (it asks for the key in $key_file)"

cli=(dotnet "$root/src/Orchestrator.Cli/bin/Debug/net10.0/orchestrator.dll" --api "$api")
ORCHESTRATOR_API_KEY="$(tr -d '[:space:]' <"$key_file")"
export ORCHESTRATOR_API_KEY
request="Add a Power(base, exponent) method to the calculator, with tests and a README section"
model=(--script demo-power)
if [ -n "$llm" ]; then
  model=()
  say "submitting the demo feature on $repository, driven by the configured LLM"
else
  say "submitting the demo feature (scripted demo model, not an AI) on $repository"
fi
set +e
# --plain: the demo prints the progress lines the README shows, even in a terminal (where the CLI would draw a table).
"${cli[@]}" submit --repository "$repository" --base main --request "$request" "${model[@]}" --watch --plain --summary-json
status=$?
set -e

if [ "$once" = true ]; then
  exit "$status"
fi

say "the feature ended (exit $status). Pull requests of the sample repository: $repository/orchestrator/pulls/"
say "Orchestrator keeps running: submit more with ORCHESTRATOR_API_KEY=\$(cat $key_file) ${cli[*]} submit --help; Ctrl+C stops everything."
wait "$apphost_pid"
