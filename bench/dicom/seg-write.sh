#!/usr/bin/env bash
# Benchmark (issue 4): write a DICOM-SEG with `mim dicom seg` from a 200-slice 512×512 CT series (made with DCMTK
# dump2dcm) and a 10-segment label map (NIfTI, uint16; each segment spans slices 10..189, so 1800 of the 2000
# segment×slice frames are non-empty), BINARY and FRACTIONAL, empty frames dropped. Prints the command's own timing
# (series headers + labels read, SEG build, save) and the file size.
# Usage: bash bench/dicom/seg-write.sh [work-folder] [repeats]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/dicom/lib/series.sh
work=${1:-/tmp/mim-bench-seg-write}
repeats=${2:-2}
series="$work/series"
mkdir -p "$series" "$work/out"
make_ct_series "$series" "(0008,0016) UI =CTImageStorage
(0008,0018) UI [2.25.5000{k}]
(0008,0060) CS [CT]
(0010,0010) PN [Bench^Seg]
(0010,0020) LO [BENCHSEG]
(0020,000d) UI [2.25.6000]
(0020,000e) UI [2.25.7000]
(0020,0013) IS [{k + 1}]
(0020,0052) UI [2.25.8000]
$ct_series_geometry"
if [ ! -f "$work/labels.nii" ] || [ ! -f "$work/segments.json" ]; then
  echo "making a 10-segment label map on the series' grid ..."
  /usr/bin/python3 - "$work" <<'PY'
import sys, json, struct, numpy as np
work = sys.argv[1]
kk, yy, xx = np.mgrid[0:200, 0:512, 0:512]
labels = np.zeros((200, 512, 512), dtype='<u2')
for s in range(10):
    cx, cy = 120 + 70 * (s % 5), 190 + 130 * (s // 5)
    inside = ((xx - cx) ** 2 + (yy - cy) ** 2 < (28 + 6 * np.sin(kk / 15.0 + s)) ** 2) & (kk >= 10) & (kk < 190)
    labels[inside] = s + 1
# NIfTI-1, i = column (x), j = row (y), k = slice; LPS (-200, -150, -300) + (0.78 i, 0.78 j, 1.25 k) in RAS.
hdr = bytearray(352)
struct.pack_into('<i', hdr, 0, 348)
struct.pack_into('<8h', hdr, 40, 3, 512, 512, 200, 1, 1, 1, 1)
struct.pack_into('<hh', hdr, 70, 512, 16)
struct.pack_into('<8f', hdr, 76, 1, 0.78, 0.78, 1.25, 1, 1, 1, 1)
struct.pack_into('<f', hdr, 108, 352)
struct.pack_into('<f', hdr, 112, 1)  # scl_slope
struct.pack_into('<hh', hdr, 252, 1, 1)  # qform, sform codes
struct.pack_into('<6f', hdr, 256, 0, 0, 1, 200, 150, -300)  # quatern b, c, d (180° about z), offsets
struct.pack_into('<12f', hdr, 280, -0.78, 0, 0, 200, 0, -0.78, 0, 150, 0, 0, 1.25, -300)
hdr[344:348] = b'n+1\0'
with open(f"{work}/labels.nii", "wb") as f:
    f.write(hdr)
    f.write(labels.tobytes())
segments = [{"label": s + 1, "name": f"lesion_{s + 1}",
             "category": {"scheme": "SCT", "code": "49755003", "meaning": "Morphologically Altered Structure"},
             "type": {"scheme": "SCT", "code": "52988006", "meaning": "Lesion"},
             "colour": [(37 * s) % 256, (91 * s) % 256, (173 * s) % 256]} for s in range(10)]
json.dump({"algorithm": {"name": "bench-seg", "version": "0.0.1"}, "segments": segments}, open(f"{work}/segments.json", "w"), indent=1)
PY
fi
build_mim
echo "series: $(du -sh "$series" | cut -f1) in $(find "$series" -name '*.dcm' | wc -l) files; labels: $(du -sh "$work/labels.nii" | cut -f1)"
for i in $(seq "$repeats"); do
  for kind in binary fractional; do
    rm -f "$work/out/"*
    flag=""; [ "$kind" = fractional ] && flag="--fractional"
    start=$(now)
    report=$(dotnet out/bin/mim.dll dicom seg --source "$series" --labels "$work/labels.nii" --segments "$work/segments.json" --out "$work/out/seg.dcm" $flag)
    end=$(now)
    frames=$(echo "$report" | sed -n 's/.*: \([0-9]*\) frames.*/\1/p')
    timing=$(echo "$report" | grep '^series headers and labels')
    awk -v i="$i" -v k="$kind" -v a="$start" -v b="$end" -v f="$frames" -v t="$timing" -v s="$(stat -c %s "$work/out/seg.dcm")" \
      'BEGIN { printf "run %d %-10s: %s frames, %.1f MB, process %.2f s (%s)\n", i, k, f, s / 1e6, b - a, t }'
  done
done
