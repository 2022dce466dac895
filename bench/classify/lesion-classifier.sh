#!/usr/bin/env bash
# Measurement (issue 12): does the unit-size classification network learn "liver lesion present" from whole 32³ phantoms?
#
# 161 phantoms of 32³ (seeds 600..760, --lesion-fraction 0.5: 87 with lesions), the last 32 held out, the first 129
# trained on; the classify-unit recipe (random encoder, cross-entropy, AdamW + warm-up cosine) for STEPS steps with
# batch BATCH and learning rate LR; validation AUC and accuracy on the 32 held-out cases every 50 steps (validation.csv).
#
# Usage: bash bench/classify/lesion-classifier.sh [work-folder]    (env: STEPS=300 BATCH=4 LR=1e-3 THREADS=2)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-/tmp/mim-bench-lesion-classifier}
steps=${STEPS:-300}
batch=${BATCH:-4}
lr=${LR:-1e-3}
mim=(dotnet out/bin/mim.dll)
[ -f out/bin/mim.dll ] || dotnet build host/MiM.Bundles.Cli -c Release -o out/bin >/dev/null
mkdir -p "$work"
[ -f "$work/data/dataset.json" ] || "${mim[@]}" phantom --out "$work/data" --count 161 --size 32 --seed 600 --lesion-fraction 0.5
# The shipped recipe with 32 held-out cases, the batch and the learning rate of this measurement.
sed -e 's/"validationCases": 8/"validationCases": 32/' -e "s/\"batchSize\": 4/\"batchSize\": $batch/" \
    -e "s/\"learningRate\": 1e-3/\"learningRate\": $lr/" -e 's/"every": 25/"every": 50/' \
    -e 's#"\.\./transforms/#"'"$PWD"'/configs/transforms/#g' \
    configs/finetune/classify-unit.json > "$work/recipe.json"
"${mim[@]}" finetune --config "$work/recipe.json" --data "$work/data/dataset.json" --out "$work/run" --steps "$steps" \
    --threads "${THREADS:-2}" --resume
cat "$work/run/validation.csv"
