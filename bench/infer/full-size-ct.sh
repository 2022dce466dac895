#!/usr/bin/env bash
# Benchmark (issue 15): `mim infer` end to end with a full-size segmentation network (96³ windows, the phantom's
# 10 classes; untrained, seeded weights: the labels are meaningless, the work is a trained network's) on the
# synthetic 200-slice 512×512 CT series, through the abdominal CT inference transforms (RAS, 1.5×1.5×2 mm, HU window,
# crop to the body), writing a DICOM-SEG. Prints mim infer's per-part times and peak memory for each overlap.
# Usage: bash bench/infer/full-size-ct.sh [work-folder] [overlaps=0.5,0.25,0] [sw_batch=1]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/dicom/lib/series.sh
work=${1:-/tmp/mim-bench-full-ct}
overlaps=${2:-0.5,0.25,0}
batch=${3:-1}
make_ct_series "$work/series" "$(ct_series_tags 7 Infer)"
build_mim
if [ ! -f "$work/model/model.safetensors" ]; then
  dotnet run -c Release --project bench/MiM.Bundles.Bench -- segmentation-model full "$work/model" 10
fi
echo "$(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p')"
for overlap in ${overlaps//,/ }; do
  echo "--- overlap $overlap, $batch window(s) per pass"
  /usr/bin/time -f "peak RSS %M KB, wall %e s" dotnet out/bin/mim.dll infer --weights "$work/model" --input "$work/series" \
    --output "$work/seg-$overlap.dcm" --segments configs/segments/phantom-abdomen.json --overlap "$overlap" --sw-batch "$batch" \
    | grep -v '^ \+[0-9]\+ '
done
