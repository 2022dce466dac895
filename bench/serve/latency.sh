#!/usr/bin/env bash
# Benchmark (issue 13): one 200-slice 512×512 CT study through `mim serve` with a real MiM segmentation bundle, from
# the last slice acknowledged to the SEG acknowledged by the destination, split per stage: assembly wait (the quiet
# period included), load, transforms, encoder, head, window stitching, argmax, inverse transforms,
# post-processing, SEG write, delivery; the share that is not the network forward (encoder + head) with the quiet
# period left out; the host's idle memory and its peak during the job.
# The series is bench/dicom's synthetic one (DCMTK dump2dcm); storescp is the destination; only the segmentation
# bundle named is served (copied into a bundle folder of its own), so nothing else shares the CPU.
# Usage: bash bench/serve/latency.sh BUNDLE [work-folder] [repeats]
#   BUNDLE: a segmentation head bundle folder, e.g. the one `mim demo` built: OUT/cache/<recipe>/bundles/demo-organs
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/dicom/lib/series.sh
bundle=${1:?usage: latency.sh BUNDLE [work-folder] [repeats]}
work=${2:-/tmp/mim-bench-serve-latency}
repeats=${3:-3}
quiet=2
mkdir -p "$work"
make_ct_series "$work/series" "$(ct_series_tags 9 Latency)"
build_mim
rm -rf "$work/bundles" && mkdir -p "$work/bundles" && cp -r "$bundle" "$work/bundles/"
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
host=""; pacs=""
trap 'kill $host $pacs 2>/dev/null || true' EXIT
for run in $(seq "$repeats"); do
  rm -rf "$work/data" "$work/received" && mkdir -p "$work/received"
  pacs_port=$(free_port); port=$(free_port)
  TCP_NODELAY=1 storescp -aet PACS -od "$work/received" "$pacs_port" & pacs=$!
  dotnet out/bin/mim.dll serve --aet MIMSERVE --port "$port" --bind 127.0.0.1 --data "$work/data" --bundles "$work/bundles" \
    --destination "PACS@127.0.0.1:$pacs_port" --quiet-seconds "$quiet" --api off >"$work/host.log" 2>&1 & host=$!
  until grep -q "Serving:" "$work/host.log"; do kill -0 $host; sleep 0.5; done
  sleep 10
  idle=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$host/status")
  TCP_NODELAY=1 storescu -aet ROUTER -aec MIMSERVE 127.0.0.1 "$port" "$work/series"/*.dcm
  acked=$(now)
  until [ "$(find "$work/data/jobs" -name '*.json' 2>/dev/null | xargs -r grep -l '"State": "Delivered"' | wc -l)" -ge 1 ]; do
    kill -0 $host; sleep 0.2
  done
  peak=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$host/status")
  kill -TERM $host; wait $host || true
  kill $pacs; wait $pacs 2>/dev/null || true
  echo "run $run:"
  /usr/bin/python3 - "$work" "$acked" "$quiet" "$idle" "$peak" <<'PY'
import datetime, glob, json, re, sys
work, acked, quiet, idle, peak = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
job = [j for j in (json.load(open(f)) for f in glob.glob(f"{work}/data/jobs/*.json")) if j["State"] == "Delivered"][0]
t = lambda s: datetime.datetime.fromisoformat(s).timestamp()
stage = {s["Name"]: (t(s["Started"]), t(s["Ended"])) for s in job["Stages"]}
delivered = max(t(d["Ended"]) for d in job["Deliveries"].values())
line = [l for l in open(f"{work}/host.log") if "Segmentation " in l and " = transforms " in l][-1]
fields = re.search(r"of (\S+): ([0-9.]+) s = transforms ([0-9.]+) \+ encoder ([0-9.]+) \+ head ([0-9.]+) \+ windows ([0-9.]+) \+ argmax ([0-9.]+) \+ inverse transforms ([0-9.]+) \+ post-processing ([0-9.]+) s", line)
size, (bundle, transforms, encoder, head, windows, argmax, inverse, post) = fields.group(1), map(float, fields.groups()[1:])
inference = stage["inference"][1] - stage["inference"][0]
rows = [
    ("assembly wait (last slice acked → job written; quiet period %.0f s)" % quiet, t(job["Created"]) - acked),
    ("job written → load started", stage["load"][0] - t(job["Created"])),
    ("load (series → volume)", stage["load"][1] - stage["load"][0]),
    ("transforms", transforms),
    ("encoder forward", encoder),
    ("head forward", head),
    ("window cutting, weighting, stitching", windows),
    ("argmax", argmax),
    ("inverse transforms", inverse),
    ("post-processing (keep largest)", post),
    ("inference stage outside the bundle (queue, dispatch)", inference - bundle),
    ("SEG write", stage["write"][1] - stage["write"][0]),
    ("write → delivery acknowledged by the destination", delivered - stage["write"][1]),
]
total = delivered - acked
for name, seconds in rows:
    print(f"  {name:<58} {seconds:8.3f} s")
print(f"  {'total: last slice acked → SEG acknowledged':<58} {total:8.3f} s  (volume {size}, stages sum {sum(s for _, s in rows):.3f} s)")
rest = total - quiet - encoder - head
print(f"  not the network forward, quiet period left out: {rest:.3f} s of {total - quiet:.3f} s = {100 * rest / (total - quiet):.1f}%  (goal ≤ 10%)")
print(f"  host memory: idle {idle} MB resident, peak {peak} MB (VmHWM)")
PY
done
