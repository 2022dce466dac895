#!/usr/bin/env bash
# Benchmark (issues 5 and 15): DICOM network ingest and send.
#  1. ingest: 200 CT slices 512x512 from DCMTK storescu, one sender (all 200) and 4 concurrent senders (50 each),
#     into `mim dicom listen` (file and directory fsynced in place before each Success, the default), into
#     `mim dicom listen --journal-segment-mb 32` (each instance acknowledged once its journal record is fdatasynced) and into DCMTK storescp (no fsync; for 4 senders also `storescp --fork`, one process per
#     association). Interleaved in every repeat, same files; TCP_NODELAY=1 for DCMTK. Min and median at the end.
#  2. send: `mim dicom send` against `storescu`, the same 200 files to storescp.
#  3. 32 concurrent storescu associations x 50 small instances into one `mim dicom listen`: all acknowledged, all on
#     disk exactly once.
# Usage: bash bench/dicom/net-ingest.sh [work-folder] [repeats] [inbox-root]
# PARTS="ingest send concurrent" (the default) picks the parts. inbox-root (default: the work folder) is where the
# SCPs write; /dev/shm there makes fsync nearly free, which separates the protocol's cost from the disk's.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/dicom/lib/series.sh
work=${1:-/tmp/mim-bench-net-ingest}
repeats=${2:-3}
inboxes=${3:-$work}
parts=${PARTS:-ingest send concurrent}
series="$work/series"
mkdir -p "$series"
export TCP_NODELAY=1
make_ct_series "$series" '(0008,0016) UI =CTImageStorage
(0008,0018) UI [2.25.5100{k}]
(0008,0060) CS [CT]
(0010,0010) PN [Bench^Network]
(0020,000d) UI [2.25.5200]
(0020,000e) UI [2.25.5300]
(0020,0013) IS [{k + 1}]'
small="$work/small"
if [ "$(find "$small" -name '*.dcm' 2>/dev/null | wc -l)" -ne 1600 ]; then
  echo "making 32 x 50 small instances (128x128) ..."
  mkdir -p "$small"
  /usr/bin/python3 - "$small" <<'PY'
import os, subprocess, sys, numpy as np
folder = sys.argv[1]
placeholder = "2.25.99999999999999999999"
np.zeros((128, 128), '<i2').tofile(f"{folder}/p.raw")
with open(f"{folder}/t.txt", "w") as f:
    f.write(f"(0008,0016) UI =CTImageStorage\n(0008,0018) UI [{placeholder}]\n(0008,0060) CS [CT]\n(0028,0002) US 1\n"
            "(0028,0004) CS [MONOCHROME2]\n(0028,0010) US 128\n(0028,0011) US 128\n(0028,0100) US 16\n(0028,0101) US 16\n"
            "(0028,0102) US 15\n(0028,0103) US 1\n(7fe0,0010) OW =p.raw\n")
subprocess.run(["dump2dcm", "--write-xfer-little", "t.txt", "t.dcm"], cwd=folder, check=True)
template = open(f"{folder}/t.dcm", "rb").read()
for a in range(32):
    os.makedirs(f"{folder}/a{a:02d}", exist_ok=True)
    for n in range(50):
        uid = f"2.25.1{a:02d}{n:04d}{0:013d}"
        assert len(uid) == len(placeholder)
        open(f"{folder}/a{a:02d}/i{n:03d}.dcm", "wb").write(template.replace(placeholder.encode(), uid.encode()))
for name in ("p.raw", "t.txt", "t.dcm"):
    os.remove(f"{folder}/{name}")
PY
fi
build_mim
echo "series: $(du -sh "$series" | cut -f1) in $(find "$series" -name '*.dcm' | wc -l) files; inboxes on $(df --output=fstype "$inboxes" | tail -1) ($inboxes); $(nproc) cores, shared machine"

start_mim() { # $1 inbox, then extra `mim dicom listen` options; sets mim_pid, mim_port
  local inbox=$1; shift
  # sync: the previous SCP's unwritten files (storescp never fsyncs) are not left for this one's flushes to push out.
  rm -rf "$inbox"; sync; dotnet out/bin/mim.dll dicom listen --aet MIMBENCH --port 0 --bind 127.0.0.1 --out "$inbox" --min-free-mb 0 "$@" >"$work/listen.log" 2>&1 &
  mim_pid=$!
  for _ in $(seq 200); do mim_port=$(grep -o 'on port [0-9]*' "$work/listen.log" | grep -o '[0-9]*$' || true); [ -n "$mim_port" ] && return; sleep 0.05; done
  echo "mim dicom listen did not start"; cat "$work/listen.log"; exit 1
}
start_storescp() { # $1 folder, then extra storescp options; sets scp_pid, scp_port
  local folder=$1; shift
  rm -rf "$folder"; mkdir -p "$folder"; sync; scp_port=$(( 20000 + RANDOM % 20000 ))
  storescp -aet STORESCP -od "$folder" "$@" "$scp_port" & scp_pid=$!
  for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$scp_port") 2>/dev/null && return; sleep 0.05; done
  echo "storescp did not start"; exit 1
}

# send_series SENDERS AET PORT: storescu of the 200 slices, as one association or as SENDERS concurrent ones
# (slices split evenly); fails when any sender fails.
send_series() {
  local senders=$1 aec=$2 port=$3 pids=() failed=0
  local files=("$series"/*.dcm) share=$(( 200 / $1 ))
  for s in $(seq 0 $(( senders - 1 ))); do
    storescu -aet "BENCH$s" -aec "$aec" 127.0.0.1 "$port" "${files[@]:$(( s * share )):$share}" & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
  [ "$failed" -eq 0 ]
}
stored_in() { find "$1" -path '*/.partial' -prune -o -path '*/.journal' -prune -o -type f -name '*.dcm' -print | wc -l; }
# One slice under other UIDs, stored once before each timed ingest: both SCPs are timed warm, as a listening service
# runs (for ours: the first association's JIT compilation, ~0.2 s, is not part of the figure).
warmup="$work/warmup.dcm"
[ -f "$warmup" ] || { cp "$series/slice000.dcm" "$warmup"; dcmodify -nb -m '(0008,0018)=2.25.5999' -m '(0020,000e)=2.25.5998' "$warmup"; }
# time_mim SENDERS [listen options]: prints seconds; checks all 200 (and the warm-up instance) are stored
time_mim() {
  local senders=$1; shift
  start_mim "$inboxes/inbox-mim" "$@"
  storescu -aet WARMUP -aec MIMBENCH 127.0.0.1 "$mim_port" "$warmup"
  local a b; a=$(now); send_series "$senders" MIMBENCH "$mim_port"; b=$(now)
  kill -TERM "$mim_pid"; wait "$mim_pid" || true
  [ "$(stored_in "$inboxes/inbox-mim")" -eq 201 ] || { echo "mim stored $(stored_in "$inboxes/inbox-mim") of 201"; exit 1; }
  awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }'
}
time_storescp() { # SENDERS [storescp options]
  local senders=$1; shift
  start_storescp "$inboxes/inbox-dcmtk" "$@"
  storescu -aet WARMUP -aec STORESCP 127.0.0.1 "$scp_port" "$warmup"
  local a b; a=$(now); send_series "$senders" STORESCP "$scp_port"; b=$(now)
  kill "$scp_pid"; wait "$scp_pid" 2>/dev/null || true
  awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }'
}

if [[ " $parts " == *" ingest "* ]]; then
  results="$work/ingest-results.txt"; : >"$results"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  for i in $(seq "$repeats"); do
    for senders in 1 4; do
      journal=$(time_mim "$senders" --journal-segment-mb 32)
      inplace=$(time_mim "$senders")
      dcmtk=$(time_storescp "$senders")
      fork=-; [ "$senders" -gt 1 ] && fork=$(time_storescp "$senders" --fork)
      echo "$senders $journal $inplace $dcmtk $fork" >>"$results"
      echo "ingest run $i, $senders sender(s): mim (journal) $journal s, mim (fsync in place) $inplace s, storescp $dcmtk s, storescp --fork $fork s; load $(cut -d' ' -f1 /proc/loadavg)"
    done
  done
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for senders in ("1", "4"):
    cols = list(zip(*[r[1:] for r in rows if r[0] == senders]))
    stat = lambda c: (min(map(float, c)), statistics.median(map(float, c))) if c[0] != "-" else None
    journal, inplace, dcmtk, fork = (stat(c) for c in cols)
    best = dcmtk if fork is None else tuple(map(min, dcmtk, fork))
    line = f"{senders} sender(s), {len(cols[0])} runs, min / median: journal {journal[0]:.2f} / {journal[1]:.2f} s, in place {inplace[0]:.2f} / {inplace[1]:.2f} s, storescp {dcmtk[0]:.2f} / {dcmtk[1]:.2f} s"
    if fork: line += f", storescp --fork {fork[0]:.2f} / {fork[1]:.2f} s"
    line += f"; ratio DCMTK / journal {best[0] / journal[0]:.2f} (min) {best[1] / journal[1]:.2f} (median), DCMTK / in place {best[0] / inplace[0]:.2f} / {best[1] / inplace[1]:.2f}"
    print(line)
PY
fi

if [[ " $parts " == *" send "* ]]; then
for i in $(seq "$repeats"); do
  start_storescp "$inboxes/inbox-dcmtk"
  a=$(now); summary=$(dotnet out/bin/mim.dll dicom send "$series" --to "STORESCP@127.0.0.1:$scp_port" --aet BENCH | tail -1); b=$(now)
  c=$(now); storescu -aet BENCH -aec STORESCP 127.0.0.1 "$scp_port" "$series"/*.dcm; d=$(now)
  kill "$scp_pid"; wait "$scp_pid" 2>/dev/null || true
  awk -v i="$i" -v a="$a" -v b="$b" -v c="$c" -v d="$d" -v s="$summary" 'BEGIN { printf "send run %d: mim dicom send %.2f s wall incl. .NET start (%s), storescu %.2f s\n", i, b - a, s, d - c }'
done
fi

if [[ " $parts " == *" concurrent "* ]]; then
start_mim "$inboxes/inbox-concurrent"
a=$(now)
pids=()
rm -f "$work"/concurrent-*.log
for folder in "$small"/a[0-9][0-9]; do
  storescu -v -aet "B$(basename "$folder")" -aec MIMBENCH 127.0.0.1 "$mim_port" "$folder"/*.dcm >"$work/concurrent-$(basename "$folder").log" 2>&1 & pids+=($!)
done
failed=0; for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
b=$(now)
kill -TERM "$mim_pid"; wait "$mim_pid" || true
acknowledged=$(cat "$work"/concurrent-*.log | grep -c 'Received Store Response (Success)' || true)
stored=$(stored_in "$inboxes/inbox-concurrent")
awk -v a="$a" -v b="$b" -v k="$acknowledged" -v s="$stored" -v f="$failed" 'BEGIN { printf "32 concurrent associations x 50 instances: %.2f s, %d acknowledged, %d on disk, %d senders failed (%.0f instances/s)\n", b - a, k, s, f, k / (b - a) }'
[ "$acknowledged" -eq 1600 ] && [ "$stored" -eq 1600 ] && [ "$failed" -eq 0 ]
fi
rm -rf "$inboxes/inbox-mim" "$inboxes/inbox-dcmtk" "$inboxes/inbox-concurrent"
