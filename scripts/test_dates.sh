#!/usr/bin/env bash
# The date and time tests under libfaketime at the clock times where calendars break:
# ~400 days ahead, 29 February, New Year's Eve into New Year's Day, and both
# Europe/Oslo daylight-saving changes at 01:30 and 02:30 local time.
# Usage: scripts/test_dates.sh PYTHON [pytest args...]
# The tests that read the date or the time carry the marker `calendar` (the cases and their
# sample dates, deadlines and input windows, the officer inbox, reports, exports, sessions
# and login limits, retention, backups, rate limits); all of them also run on today's date
# in `make unit-app`, with the real-stack suites (marker `stack`).
set -euo pipefail
python=$1
shift
lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1 || true)
if [ -z "$lib" ]; then
  echo "libfaketime is missing: apt-get install faketime (make test installs it)" >&2
  exit 1
fi
# Start times in UTC (the process runs with TZ=UTC; the app reads Europe/Oslo itself).
ahead=$(date -u -d "+400 days" "+%Y-%m-%d 10:00:00")
dates=(
  "$ahead"               # about 400 days ahead
  "2028-02-29 11:00:00"  # leap day, 12:00 in Oslo
  "2027-12-31 22:58:30"  # 23:58:30 in Oslo: the run crosses into 1 January
  "2027-03-28 00:30:00"  # spring forward: 01:30 CET, half an hour before the jump
  "2027-03-28 01:30:00"  # 02:30 "local" does not exist: the first moment after it, 03:30 CEST
  "2027-10-30 23:30:00"  # fall back: 01:30 CEST
  "2027-10-31 00:30:00"  # 02:30 CEST, the first of the two
  "2027-10-31 01:30:00"  # 02:30 CET, the second
)
# Two clock times at a time (one per core), each in its own pytest run and temp dir; the
# logs are printed whole, one after the other, when all have finished.
jobs_at_once=${MEDVERK_TEST_DATES_JOBS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run_at() {
  local i=$1 start=$2 rc=0
  TZ=UTC LD_PRELOAD="$lib" FAKETIME="@$start" \
    "$python" -m pytest -q -p no:cacheprovider --basetemp="$work/tmp$i" \
    -m "calendar and not stack" "${pytest_args[@]}" >"$work/$i.log" 2>&1 || rc=$?
  echo "$rc" >"$work/$i.rc"
}
pytest_args=("$@")
for i in "${!dates[@]}"; do
  run_at "$i" "${dates[$i]}" &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_at_once" ]; do wait -n || true; done
done
wait
failed=()
for i in "${!dates[@]}"; do
  echo "== date and time tests with the clock at ${dates[$i]} UTC"
  cat "$work/$i.log"
  if [ "$(cat "$work/$i.rc")" != 0 ]; then
    failed+=("${dates[$i]}")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "date and time tests failed with the clock at: ${failed[*]}" >&2
  exit 1
fi
echo "date and time tests passed at all ${#dates[@]} clock times"
