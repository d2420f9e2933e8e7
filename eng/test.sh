#!/usr/bin/env bash
# Runs every test project of the solution and prints one closing line: "N passed, M failed".
# Exits non-zero when a test fails or a project does not build.
set -uo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
postgres_dir=""
cleanup() {
  rm -f "$log"
  if [ -n "$postgres_dir" ]; then eng/postgres.sh stop "$postgres_dir"; fi
}
trap cleanup EXIT

# The console's browser tests (tests/Durably.Console.Tests) drive Debian's chromium: install it when it is missing.
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  echo "Installing chromium for the console's browser tests (apt-get)..."
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq && $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || echo "Could not install chromium: the console's browser tests will fail." >&2
fi

# The PostgreSQL store's tests run against DURABLY_TEST_POSTGRES (a connection string); without one, a throwaway server
# is started for this run (eng/postgres.sh) and stopped, its folder deleted, when the run ends.
if [ -z "${DURABLY_TEST_POSTGRES:-}" ]; then
  started=$(eng/postgres.sh start) || { echo "Could not start PostgreSQL for the tests." >&2; exit 1; }
  postgres_dir=$(echo "$started" | head -n 1)
  export DURABLY_TEST_POSTGRES_DIR="$postgres_dir"
  export DURABLY_TEST_POSTGRES=$(echo "$started" | tail -n 1)
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet test Durably.slnx -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# VSTest prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 52, Skipped: 0, ..."
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{ s += $2 } END { print s + 0 }')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{ s += $2 } END { print s + 0 }')
passed=${passed:-0}
failed=${failed:-0}

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # a build or runner error: count it so the line never reads green
fi

echo "${passed} passed, ${failed} failed"
exit "$status"
