#!/usr/bin/env bash
# Benchmark (issue 4): load a 200-slice 512×512 CT series into a volume with `mim dicom to-nifti` and with
# dcm2niix, the same files in the same run, both writing an uncompressed .nii. Series made with DCMTK dump2dcm.
# Usage: bash bench/dicom/ct-series-load.sh [work-folder] [repeats]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/dicom/lib/series.sh
work=${1:-/tmp/mim-bench-ct-series}
repeats=${2:-3}
series="$work/series"
mkdir -p "$series" "$work/out"
make_ct_series "$series" "$(ct_series_tags 1 Series)"
build_mim
echo "series: $(du -sh "$series" | cut -f1) in $(find "$series" -name '*.dcm' | wc -l) files"
for i in $(seq "$repeats"); do
  rm -f "$work/out/"*
  start=$(now); timing=$(dotnet out/bin/mim.dll dicom to-nifti "$series" "$work/out/mim.nii" | grep '^loaded in'); mid=$(now)
  dcm2niix -z n -f dcm2niix -o "$work/out" "$series" >/dev/null; end=$(now)
  awk -v i="$i" -v a="$start" -v b="$mid" -v c="$end" -v t="$timing" 'BEGIN { printf "run %d: mim dicom to-nifti %.2f s (%s), dcm2niix %.2f s\n", i, b - a, t, c - b }'
done
