#!/usr/bin/env bash
# ./tessera serve to ready: launch -> first 200 from /actuator/health/readiness (curl every 0.1 s),
# then SIGTERM and wait for the launcher to exit. Run 1 on an empty --home, runs 2-3 reuse it.
# Run from a built tree (./tessera builds first otherwise, and that time would count).
cd "$(dirname "$0")/../.."
mkdir -p ${OUT:-/tmp/tessera-startup}; HOME_DIR=${OUT:-/tmp/tessera-startup}/home; rm -rf $HOME_DIR
PORT=18437
for i in 1 2 3; do
  load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s.%N)
  ./tessera serve --port $PORT --home $HOME_DIR > ${OUT:-/tmp/tessera-startup}/run$i.log 2>&1 &
  pid=$!
  until curl -sf -o /dev/null http://localhost:$PORT/actuator/health/readiness; do
    sleep 0.1
    if ! kill -0 $pid 2>/dev/null; then echo "run $i: died"; break; fi
  done
  t1=$(date +%s.%N)
  until grep -q 'Tessera is up' ${OUT:-/tmp/tessera-startup}/run$i.log; do sleep 0.1; done
  printed=$(grep -o 'Tessera is up in [0-9.]* s' ${OUT:-/tmp/tessera-startup}/run$i.log)
  echo "run $i: ready after $(echo "$t1 - $t0" | bc) s wall (load avg $load at start); printed: $printed"
  curl -s -o /dev/null -w "  GET /v1/models with the key: %{http_code}\n" http://localhost:$PORT/v1/models -H "Authorization: Bearer $(grep '^API key:' ${OUT:-/tmp/tessera-startup}/run$i.log | awk '{print $3}')"
  ts=$(date +%s.%N); kill -TERM $pid; wait $pid; rc=$?
  echo "  SIGTERM -> exit $rc after $(echo "$(date +%s.%N) - $ts" | bc) s; port still bound: $(ss -ltn | grep -c ":$PORT ")"
done
