#!/usr/bin/env bash
# The app's unit tests as two pytest runs at once, one per core: the real-stack suites
# (marker `stack`: a Rasa engine, action server and gateway each) and all the others.
# Each writes its own log and temp dir; both logs are printed whole when both have finished.
# Usage: scripts/unit_app.sh PYTHON [pytest args...]
set -euo pipefail
python=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run_part() {
  local name=$1 marker=$2
  shift 2
  local rc=0
  "$python" -m pytest -q -p no:cacheprovider --basetemp="$work/tmp-$name" -m "$marker" "$@" \
    >"$work/$name.log" 2>&1 || rc=$?
  echo "$rc" >"$work/$name.rc"
}
run_part stack "stack" "$@" &
run_part others "not stack" "$@" &
wait
failed=()
for name in others stack; do
  echo "== app unit tests: $name"
  cat "$work/$name.log"
  # pytest exits 5 when a marker selects nothing (e.g. -k narrowed it away): not a failure.
  rc=$(cat "$work/$name.rc")
  if [ "$rc" != 0 ] && [ "$rc" != 5 ]; then
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "app unit tests failed: ${failed[*]}" >&2
  exit 1
fi
echo "app unit tests passed (both parts)"
