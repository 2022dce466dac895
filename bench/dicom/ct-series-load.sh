#!/usr/bin/env bash
# Benchmark (issue 4): load a 200-slice 512×512 CT series into a volume with `mim dicom to-nifti` and with
# dcm2niix, the same files in the same run, both writing an uncompressed .nii. Series made with DCMTK dump2dcm.
# Usage: bash bench/dicom/ct-series-load.sh [work-folder] [repeats]
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-/tmp/mim-bench-ct-series}
repeats=${2:-3}
series="$work/series"
mkdir -p "$series" "$work/out"
if [ "$(find "$series" -name '*.dcm' | wc -l)" -ne 200 ]; then
  echo "making 200 slices of 512x512 with dump2dcm ..."
  /usr/bin/python3 - "$series" <<'PY'
import sys, numpy as np
folder = sys.argv[1]
yy, xx = np.mgrid[0:512, 0:512]
for k in range(200):
    body = ((xx - 256) ** 2 / 200 ** 2 + (yy - 256) ** 2 / 150 ** 2) < 1
    image = np.where(body, 1024 + 40 + ((xx + yy + 3 * k) % 50), 24).astype('<i2')
    image.tofile(f"{folder}/slice{k:03d}.raw")
    with open(f"{folder}/slice{k:03d}.txt", "w") as f:
        f.write(f"""(0002,0002) UI =CTImageStorage
(0002,0003) UI [2.25.1000{k}]
(0008,0016) UI =CTImageStorage
(0008,0018) UI [2.25.1000{k}]
(0008,0060) CS [CT]
(0010,0010) PN [Bench^Series]
(0010,0020) LO [BENCH]
(0020,000d) UI [2.25.2000]
(0020,000e) UI [2.25.3000]
(0020,0013) IS [{k + 1}]
(0020,0032) DS [-200\\\\-150\\\\{-300 + 1.25 * k}]
(0020,0037) DS [1\\\\0\\\\0\\\\0\\\\1\\\\0]
(0020,0052) UI [2.25.4000]
(0028,0002) US 1
(0028,0004) CS [MONOCHROME2]
(0028,0010) US 512
(0028,0011) US 512
(0028,0030) DS [0.78\\\\0.78]
(0028,0100) US 16
(0028,0101) US 16
(0028,0102) US 15
(0028,0103) US 1
(0028,1052) DS [-1024]
(0028,1053) DS [1]
(0018,0050) DS [1.25]
(7fe0,0010) OW =slice{k:03d}.raw
""")
PY
  (cd "$series" && for t in slice*.txt; do dump2dcm --write-xfer-little "$t" "${t%.txt}.dcm"; done && rm -f slice*.txt slice*.raw)
fi
dotnet build host/MiM.Bundles.Cli -c Release -o out/bin >/dev/null
echo "series: $(du -sh "$series" | cut -f1) in $(find "$series" -name '*.dcm' | wc -l) files"
for i in $(seq "$repeats"); do
  rm -f "$work/out/"*
  start=$(date +%s.%N); timing=$(dotnet out/bin/mim.dll dicom to-nifti "$series" "$work/out/mim.nii" | grep '^loaded in'); mid=$(date +%s.%N)
  dcm2niix -z n -f dcm2niix -o "$work/out" "$series" >/dev/null; end=$(date +%s.%N)
  awk -v i="$i" -v a="$start" -v b="$mid" -v c="$end" -v t="$timing" 'BEGIN { printf "run %d: mim dicom to-nifti %.2f s (%s), dcm2niix %.2f s\n", i, b - a, t, c - b }'
done
