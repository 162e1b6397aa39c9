#!/usr/bin/env bash
# Creates the sample "calculator" git repository for Orchestrator demos.
#
#   samples/create-sample-repo.sh [--force] <destination-dir>
#
# Result: <destination-dir>/calculator.git, a BARE repository whose branch `main` holds
# samples/calculator/ as a short history of three commits. Author, committer and dates are
# fixed, so the commit hashes are the same on every machine (as long as the files in
# samples/calculator/ are unchanged).
#
# - Does not read the global or system git configuration (no name/email/signing/hooks needed).
# - Idempotent: if <destination-dir>/calculator.git already exists it is left as it is;
#   --force deletes and recreates it.
# - The LAST line printed on stdout is the absolute path of the bare repository.
#   Everything else goes to stderr.
set -euo pipefail

usage() {
  echo "usage: $(basename "$0") [--force] <destination-dir>" >&2
  exit 2
}

force=0
dest=""
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) usage ;;
    -*) echo "unknown option: $arg" >&2; usage ;;
    *)
      if [[ -n "$dest" ]]; then usage; fi
      dest="$arg"
      ;;
  esac
done
[[ -n "$dest" ]] || usage

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
source_dir="$script_dir/calculator"
[[ -d "$source_dir" ]] || { echo "sample source not found: $source_dir" >&2; exit 1; }

mkdir -p "$dest"
dest="$(cd "$dest" && pwd -P)"
repo="$dest/calculator.git"

# Isolate git from the machine's configuration and from any repository around us.
export GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_GLOBAL=/dev/null
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES \
  GIT_CEILING_DIRECTORIES GIT_NAMESPACE GIT_COMMON_DIR 2>/dev/null || true
export GIT_AUTHOR_NAME="Sample Maintainer" GIT_AUTHOR_EMAIL="maintainer@example.com"
export GIT_COMMITTER_NAME="Sample Maintainer" GIT_COMMITTER_EMAIL="maintainer@example.com"
export TZ=UTC LC_ALL=C

if [[ -e "$repo" ]]; then
  if [[ "$force" -eq 1 ]]; then
    echo "removing existing $repo (--force)" >&2
    rm -rf -- "$repo"
  elif [[ "$(git --git-dir="$repo" rev-parse --is-bare-repository 2>/dev/null || true)" == "true" ]]; then
    echo "sample repository already exists (use --force to recreate it)" >&2
    echo "$repo"
    exit 0
  else
    echo "$repo exists but is not a bare git repository; use --force to replace it" >&2
    exit 1
  fi
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/calculator-sample.XXXXXX")"
staging="$dest/.calculator.git.tmp.$$"
cleanup() { rm -rf -- "$work" "$staging"; }
trap cleanup EXIT

git -C "$work" init --quiet --initial-branch=main

# Copies files (paths relative to the sample) into the work tree, with fixed permissions.
add_files() {
  local f
  for f in "$@"; do
    install -D -m 0644 "$source_dir/$f" "$work/$f"
  done
  git -C "$work" add -- "$@"
}

commit() {
  local date="$1" message="$2"
  GIT_AUTHOR_DATE="$date" GIT_COMMITTER_DATE="$date" \
    git -C "$work" commit --quiet --no-verify --no-gpg-sign -m "$message"
}

# Commit 1: the library, its build settings and the README. The solution only lists the library.
add_files .gitignore .gitattributes .editorconfig Directory.Build.props Directory.Build.targets \
  Directory.Packages.props README.md src/Calculator/Calculator.csproj src/Calculator/Arithmetic.cs
# Drop the test project from the solution: its Project/EndProject block and its configuration lines.
test_guid="$(sed -n 's/^Project(.*"Calculator\.Tests",.*"\({[0-9A-F-]*}\)"$/\1/p' "$source_dir/Calculator.sln")"
[[ -n "$test_guid" ]] || { echo "could not find the test project in Calculator.sln" >&2; exit 1; }
awk -v guid="$test_guid" '
  skip && /^EndProject$/ { skip = 0; next }
  skip { next }
  index($0, "\"" guid "\"") && /^Project\(/ { skip = 1; next }
  index($0, guid) { next }
  { print }
' "$source_dir/Calculator.sln" > "$work/Calculator.sln"
git -C "$work" add -- Calculator.sln
commit "2025-01-06T09:00:00+00:00" "Add Calculator library with basic arithmetic"

# Commit 2: the xUnit tests, and the full solution.
add_files Calculator.sln tests/Calculator.Tests/Calculator.Tests.csproj tests/Calculator.Tests/ArithmeticTests.cs
commit "2025-01-06T10:30:00+00:00" "Add xUnit tests for Arithmetic"

# Commit 3: the build and test commands the Orchestrator runs, and the instructions its agents follow.
add_files .orchestrator.json AGENTS.md
commit "2025-01-07T08:15:00+00:00" "Add Orchestrator build and test configuration and agent instructions"

# Every file of the sample must be in the repository (catches a file added to the sample
# but not to the lists above). bin/ and obj/ from a local build are ignored.
missing="$(cd "$source_dir" && find . -type f ! -path '*/bin/*' ! -path '*/obj/*' ! -path '*/TestResults/*' \
  | sed 's|^\./||' | LC_ALL=C sort | comm -23 - <(git -C "$work" ls-files | LC_ALL=C sort))"
if [[ -n "$missing" ]]; then
  echo "files of samples/calculator not committed by $(basename "$0"):" >&2
  echo "$missing" >&2
  exit 1
fi

# Publish as a bare repository: build it next to the destination, then move it into place.
git init --quiet --bare --initial-branch=main "$staging"
git -C "$work" push --quiet "$staging" main:main
mv -- "$staging" "$repo"

echo "created $repo (main at $(git --git-dir="$repo" rev-parse main))" >&2
echo "$repo"
