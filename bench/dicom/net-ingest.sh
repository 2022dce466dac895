#!/usr/bin/env bash
# Benchmark (issue 5): DICOM network ingest and send.
#  1. 200 CT slices 512x512 from DCMTK storescu into `mim dicom listen` (every instance fsynced, file and directory,
#     before its C-STORE response) and into DCMTK storescp (no fsync), same files, same run; TCP_NODELAY=1 for DCMTK.
#  2. Sending the same 200 files to storescp: `mim dicom send` against `storescu`.
#  3. 32 concurrent storescu associations x 50 small instances into one `mim dicom listen`: all acknowledged, all on
#     disk exactly once.
# Usage: bash bench/dicom/net-ingest.sh [work-folder] [repeats] [inbox-root]
# inbox-root (default: the work folder) is where both SCPs write; /dev/shm there makes fsync nearly free, which
# separates the protocol's cost from the disk's.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/dicom/lib/series.sh
work=${1:-/tmp/mim-bench-net-ingest}
repeats=${2:-3}
inboxes=${3:-$work}
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

start_mim() { # $1 inbox; sets mim_pid, mim_port
  rm -rf "$1"; dotnet out/bin/mim.dll dicom listen --aet MIMBENCH --port 0 --bind 127.0.0.1 --out "$1" --min-free-mb 0 >"$work/listen.log" 2>&1 &
  mim_pid=$!
  for _ in $(seq 200); do mim_port=$(grep -o 'on port [0-9]*' "$work/listen.log" | grep -o '[0-9]*$' || true); [ -n "$mim_port" ] && return; sleep 0.05; done
  echo "mim dicom listen did not start"; cat "$work/listen.log"; exit 1
}
start_storescp() { # $1 folder; sets scp_pid, scp_port
  rm -rf "$1"; mkdir -p "$1"; scp_port=$(( 20000 + RANDOM % 20000 ))
  storescp -aet STORESCP -od "$1" "$scp_port" & scp_pid=$!
  for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$scp_port") 2>/dev/null && return; sleep 0.05; done
  echo "storescp did not start"; exit 1
}

for i in $(seq "$repeats"); do
  start_mim "$inboxes/inbox-mim"
  a=$(now); storescu -aet BENCH -aec MIMBENCH 127.0.0.1 "$mim_port" "$series"/*.dcm; b=$(now)
  kill -TERM "$mim_pid"; wait "$mim_pid" || true
  stored=$(find "$inboxes/inbox-mim" -path '*/.partial' -prune -o -type f -name '*.dcm' -print | wc -l)
  start_storescp "$inboxes/inbox-dcmtk"
  c=$(now); storescu -aet BENCH -aec STORESCP 127.0.0.1 "$scp_port" "$series"/*.dcm; d=$(now)
  kill "$scp_pid"; wait "$scp_pid" 2>/dev/null || true
  awk -v i="$i" -v a="$a" -v b="$b" -v c="$c" -v d="$d" -v n="$stored" 'BEGIN { printf "ingest run %d: storescu -> mim dicom listen %.2f s (%d stored, fsync), storescu -> storescp %.2f s; ratio (theirs/ours) %.2f\n", i, b - a, n, d - c, (d - c) / (b - a) }'
done

for i in $(seq "$repeats"); do
  start_storescp "$inboxes/inbox-dcmtk"
  a=$(now); summary=$(dotnet out/bin/mim.dll dicom send "$series" --to "STORESCP@127.0.0.1:$scp_port" --aet BENCH | tail -1); b=$(now)
  c=$(now); storescu -aet BENCH -aec STORESCP 127.0.0.1 "$scp_port" "$series"/*.dcm; d=$(now)
  kill "$scp_pid"; wait "$scp_pid" 2>/dev/null || true
  awk -v i="$i" -v a="$a" -v b="$b" -v c="$c" -v d="$d" -v s="$summary" 'BEGIN { printf "send run %d: mim dicom send %.2f s wall incl. .NET start (%s), storescu %.2f s\n", i, b - a, s, d - c }'
done

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
stored=$(find "$inboxes/inbox-concurrent" -path '*/.partial' -prune -o -type f -name '*.dcm' -print | wc -l)
awk -v a="$a" -v b="$b" -v k="$acknowledged" -v s="$stored" -v f="$failed" 'BEGIN { printf "32 concurrent associations x 50 instances: %.2f s, %d acknowledged, %d on disk, %d senders failed (%.0f instances/s)\n", b - a, k, s, f, k / (b - a) }'
[ "$acknowledged" -eq 1600 ] && [ "$stored" -eq 1600 ] && [ "$failed" -eq 0 ]
rm -rf "$inboxes/inbox-mim" "$inboxes/inbox-dcmtk" "$inboxes/inbox-concurrent"
