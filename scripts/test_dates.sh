#!/usr/bin/env bash
# The app's unit tests under libfaketime at the dates where calendars break:
# ~400 days ahead, 29 February, New Year's Eve into New Year's Day, and both
# Europe/Oslo daylight-saving changes at 01:30 and 02:30 local time.
# Usage: scripts/test_dates.sh PYTHON [pytest args...]
# The real-stack suites (marker `stack`) run on today's date in `make unit-app`.
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
failed=()
for start in "${dates[@]}"; do
  echo "== unit tests with the clock at $start UTC"
  if ! TZ=UTC LD_PRELOAD="$lib" FAKETIME="@$start" \
    "$python" -m pytest -q -p no:cacheprovider -m "not stack" "$@"; then
    failed+=("$start")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "unit tests failed with the clock at: ${failed[*]}" >&2
  exit 1
fi
echo "unit tests passed at all ${#dates[@]} dates"
