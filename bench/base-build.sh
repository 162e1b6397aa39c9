#!/usr/bin/env bash
# What a built base tree would save the demo's verification (docs/performance.md, "A shared base build"): `dotnet test`
# of the merged result (Power and a test of it) in a fresh clone of the sample (cold) versus in the same folder after
# its base was built there (warm). Prints a table and writes bench/results/base-build.json.
#   bench/base-build.sh [rounds]      (3 by default; about 30 s per round on 2 cores)
set -euo pipefail
rounds="${1:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
bare="$(bash "$root/samples/create-sample-repo.sh" "$work/forge" 2>/dev/null | tail -1)"

merge_power() {
  python3 - <<'PY'
p = 'src/Calculator/Arithmetic.cs'
s = open(p).read()
i = s.rstrip().rfind('}')
power = ('    public static double Power(double @base, int exponent)\n    {\n'
         '        ArgumentOutOfRangeException.ThrowIfNegative(exponent);\n'
         '        var result = 1.0;\n        for (var i = 0; i < exponent; i++) result *= @base;\n        return result;\n    }\n')
open(p, 'w').write(s[:i] + power + '}\n')
open('tests/Calculator.Tests/PowerTests.cs', 'w').write(
    'namespace Calculator.Tests;\n\npublic class PowerTests\n{\n    [Fact]\n    public void Two_squared_is_four() => Assert.Equal(4, Arithmetic.Power(2, 2));\n}\n')
PY
}

seconds() { local start; start=$(date +%s.%N); "$@" >/dev/null 2>&1; echo "$(date +%s.%N) - $start" | bc; }
fresh_clone() { cd "$work"; rm -rf clone; git clone -q "$bare" clone; cd clone; }

rows=()
printf '%-6s %10s %10s\n' round cold warm
for round in $(seq 1 "$rounds"); do
  fresh_clone; merge_power
  cold=$(seconds dotnet test --disable-build-servers)
  fresh_clone; dotnet test --disable-build-servers >/dev/null 2>&1; merge_power
  warm=$(seconds dotnet test --disable-build-servers)
  printf '%-6s %9.2fs %9.2fs\n' "$round" "$cold" "$warm"
  rows+=("{\"round\": $round, \"coldSeconds\": $cold, \"warmSeconds\": $warm}")
done

mkdir -p "$root/bench/results"
{
  echo "{"
  echo "  \"benchmark\": \"base-build\","
  echo "  \"measuredAt\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
  echo "  \"machine\": {\"processorCount\": $(nproc), \"loadAverageAtStart\": $(cut -d' ' -f1 /proc/loadavg)},"
  echo "  \"note\": \"dotnet test of the demo's merged result: a fresh clone (cold) vs the same folder after its base was built (warm)\","
  echo "  \"rows\": [$(IFS=,; echo "${rows[*]}")]"
  echo "}"
} > "$root/bench/results/base-build.json"
echo "wrote bench/results/base-build.json"
