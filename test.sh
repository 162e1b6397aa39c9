#!/usr/bin/env bash
# Runs every test: starts the local RabbitMQ broker and PostgreSQL and gets bubblewrap (installing them when missing),
# builds, runs all test projects.
set -euo pipefail
cd "$(dirname "$0")"

results=".orchestrator/test-results"
rm -rf "$results"
mkdir -p "$results"

command -v git >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git >/dev/null
# The outbound-connection test traces a whole demo run (tests/Orchestrator.EndToEnd.Tests/Network).
if ! command -v strace >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq strace >/dev/null || { apt-get update -qq && apt-get install -y -qq strace >/dev/null; }
fi
# The board's browser tests drive Debian's chromium (tests/Orchestrator.EndToEnd.Tests/Board); Playwright never downloads one.
if ! command -v chromium >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# The agent benchmark's Node and Python sample repositories run their tests in the sandbox, which sees /usr/bin
# (tests/Orchestrator.EndToEnd.Tests/AgentBenchTests.cs).
for tool in node:nodejs python3:python3; do
  if [ ! -x "/usr/bin/${tool%%:*}" ]; then  # the sandbox finds them in /usr/bin
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "${tool##*:}" >/dev/null || { apt-get update -qq && apt-get install -y -qq "${tool##*:}" >/dev/null; }
  fi
done
# The deployment tests render deploy/kubernetes with kubectl's built-in kustomize (kubectl is on the machine image;
# Debian's kubernetes-client bundles a kustomize too old for the overlays, so nothing is installed here). Without it
# those tests are skipped, each saying why.
command -v kubectl >/dev/null || echo "test.sh: kubectl not on PATH: tests/Orchestrator.Deploy.Tests will be skipped" >&2
# Repository commands (the agents' builds and tests, the merge verification) run only inside bubblewrap.
scripts/bubblewrap.sh ensure

ConnectionStrings__messaging="$(scripts/rabbitmq.sh ensure)"
export ConnectionStrings__messaging
# The state store's contract tests run against PostgreSQL too (each in a database of its own).
ConnectionStrings__postgres="$(scripts/postgres.sh ensure)"
export ConnectionStrings__postgres

dotnet build Orchestrator.sln -nologo -v quiet -clp:NoSummary
# The sample's packages in the machine's cache, as ./run.sh puts them there: the demo's sandboxed restores stay offline.
dotnet restore samples/calculator -v quiet

set +e
# The unit and contract tests first, two projects at a time; then the end-to-end tests alone: they start the whole
# system and want the machine's two cores.
dotnet test Orchestrator.sln --no-build -m:2 --filter "FullyQualifiedName!~Orchestrator.EndToEnd" \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results"
unit=$?
dotnet test tests/Orchestrator.EndToEnd.Tests --no-build --logger "trx" --logger "console;verbosity=normal" --results-directory "$results"
endToEnd=$?
status=$(( unit != 0 ? unit : endToEnd ))
set -e

# One closing line for the whole run, counted from the result files of every project.
python3 - "$results" <<'PY' || true
import sys, pathlib, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for trx in pathlib.Path(sys.argv[1]).glob("*.trx"):
    counters = ET.parse(trx).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$status"
