#!/usr/bin/env bash
# ./tessera serve --gateways 2 --schedulers 2 --workers 3; requests to both gateways; who decoded what
set -u
cd "$(dirname "$0")/../.."
rm -rf /tmp/demo; T0=$(date +%s)
./tessera serve --gateways 2 --schedulers 2 --workers 3 --port 18080 --home /tmp/demo > /tmp/demo.out 2>&1 &
PID=$!
until grep -q 'Tessera is up\|did not start' /tmp/demo.out; do sleep 2; done
grep -A12 'Tessera is up' /tmp/demo.out | grep -v '^[0-9][0-9]:'
KEY=$(grep '^API key:' /tmp/demo.out | awk '{print $3}')
G1=$(grep 'gateway-1 ' /tmp/demo.out | grep -o 'http://[^ ]*' | head -1)
G2=$(grep 'gateway-2 ' /tmp/demo.out | grep -o 'http://[^ ]*' | head -1)
IDS=()
for i in $(seq 0 11); do
  G=$G1; [ $((i % 2)) -eq 1 ] && G=$G2
  ID=$(curl -s -X POST $G/v1/generations -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d "{\"model\":\"fm-ar\",\"class_label\":$((i % 10)),\"seed\":$i}" | sed 's/.*"id":"\([^"]*\)".*/\1/')
  IDS+=("$ID")
done
echo "submitted ${#IDS[@]} requests, alternating $G1 and $G2"
for ID in "${IDS[@]}"; do
  until curl -s $G2/v1/generations/$ID -H "Authorization: Bearer $KEY" | grep -q '"status":"SUCCEEDED"'; do sleep 1; done
done
echo "all SUCCEEDED; worker_id per request (read from $G1 and $G2 alternately):"
n=0
for ID in "${IDS[@]}"; do
  G=$G1; [ $((n % 2)) -eq 0 ] && G=$G2; n=$((n+1))
  curl -s $G/v1/generations/$ID -H "Authorization: Bearer $KEY" | grep -o '"worker_id":"[^"]*"'
done | sort | uniq -c
kill -TERM $PID; wait $PID
echo "launcher exited; java processes of the cluster left: $(pgrep -f 'tessera-(gateway|scheduler|worker).jar' | wc -l)"
echo "wall: $(( $(date +%s) - T0 )) s"
