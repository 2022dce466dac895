#!/usr/bin/env bash
# Benchmark (issue 13): `mim serve`'s resident memory when idle and its peak while jobs run, with real MiM bundles.
# Starts storescp as the PACS and `mim serve` on free ports, waits 20 s idle, then sends N phantom CT studies (48³,
# conspicuous lesions, as `mim demo` sends) one after another with storescu, each after the previous study's results
# arrived, and prints VmRSS / VmHWM of the host (from /proc) and the managed heap after the last collection (the
# runtime's meter on the host's /metrics) after each step.
# Usage: bash bench/serve/memory.sh BUNDLES [work-folder] [studies]
#   BUNDLES: a bundle directory, e.g. the one `mim demo` built: OUT/cache/<recipe>/bundles
set -euo pipefail
cd "$(dirname "$0")/../.."
bundles=${1:?usage: memory.sh BUNDLES [work-folder] [studies]}
work=${2:-/tmp/mim-bench-serve-memory}
studies=${3:-5}
rm -rf "$work" && mkdir -p "$work/received"
dotnet build host/MiM.Bundles.Cli -c Release -o out/bin >/dev/null
dotnet out/bin/mim.dll phantom --out "$work/phantoms" --count "$studies" --size 48 --seed 901 --lesion-fraction 0.5 \
  --lesion-style conspicuous --dicom "$work/studies" >/dev/null
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pacs_port=$(free_port); port=$(free_port); api=$(free_port)
storescp -aet PACS -od "$work/received" "$pacs_port" & pacs=$!
dotnet out/bin/mim.dll serve --aet MIMSERVE --port "$port" --bind 127.0.0.1 --data "$work/data" --bundles "$bundles" \
  --destination "PACS@127.0.0.1:$pacs_port" --quiet-seconds 2 --api "http://127.0.0.1:$api" >"$work/host.log" 2>&1 & host=$!
trap 'kill $host $pacs 2>/dev/null || true' EXIT
until grep -q "Serving:" "$work/host.log"; do kill -0 $host; sleep 0.5; done
mem() {
  awk '/^VmRSS|^VmHWM/ { printf "%s %.0f MB  ", $1, $2 / 1024 }' "/proc/$host/status"
  curl -s "http://127.0.0.1:$api/metrics" | awk '/^dotnet_gc_last_collection_heap_size/ { s += $NF } END { printf "GC heap %.0f MB", s / 1048576 }'
}
echo "started:        $(mem)"
sleep 20
echo "idle 20 s:      $(mem)"
n=0
for study in "$work"/studies/*/; do
  n=$((n + 1))
  before=$(find "$work/received" -type f | wc -l)
  start=$(date +%s.%N)
  storescu -aet ROUTER -aec MIMSERVE 127.0.0.1 "$port" "$study"*.dcm
  sent=$(date +%s.%N)
  # Each study comes back as a SEG (organs) and an SR (lesion finding).
  until [ "$(find "$work/received" -type f | wc -l)" -ge $((before + 2)) ]; do kill -0 $host; sleep 0.2; done
  back=$(date +%s.%N)
  echo "study $n: $(awk -v a="$start" -v b="$sent" -v c="$back" 'BEGIN { printf "sent in %.2f s, results %.2f s after the last slice (2 s quiet period included)", b - a, c - b }')  $(mem)"
done
sleep 10
echo "idle after:     $(mem)"
