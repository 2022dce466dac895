#!/usr/bin/env bash
# Benchmark (issue 15, section 2): what each sliding-window setting costs in Dice and in time. Builds an organ model
# as `mim demo` does (10 phantoms of 128³, the smoke pre-training, the demo's organ recipe
# configs/finetune/demo-organs.json: unit network, ROI 32³, five organs, 600 steps) but fine-tunes it on phantoms of
# 64³ instead of 48³, so that the overlap changes how many windows cover a volume (on 48³ overlaps 0 to 0.5 all place
# the same 8 windows); then segments three phantoms never used in training with `mim infer` at every overlap and
# window batch and prints windows, seconds and Dice per organ for each setting.
# Usage: bash bench/infer/overlap-dice.sh [work-folder] [overlaps=0,0.25,0.5,0.75] [sw_batches=1,4] [steps=600]
# The phantoms and models are kept in the work folder and reused by later runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-/tmp/mim-bench-overlap}
overlaps=${2:-0,0.25,0.5,0.75}
batches=${3:-1,4}
steps=${4:-600}
mim() { dotnet out/bin/mim.dll "$@"; }
dotnet build host/MiM.Bundles.Cli -c Release -o out/bin >/dev/null
phantoms="$work/phantoms-64"
[ -f "$work/pretrain/dataset.json" ] || mim phantom --out "$work/pretrain" --count 10 --size 128 --seed 0
[ -f "$work/encoder/model.safetensors" ] || mim pretrain --config configs/pretrain/smoke.json --data "$work/pretrain" --out "$work/encoder" --resume | tail -1
# Seeds 500-507 train and 511 validates (the recipe holds out the last case); 508-510 are never seen in training.
[ -f "$phantoms/dataset.json" ] || mim phantom --out "$phantoms" --count 12 --size 64 --seed 500
if [ ! -f "$work/run/best/model.safetensors" ]; then
  start=$(date +%s.%N)
  mim finetune --config configs/finetune/demo-organs.json --data "$phantoms/dataset.json" --out "$work/run" \
    --pretrained "$work/encoder" --steps "$steps" --threads "$(nproc)" | grep -E '^(validation|Done)' || true
  echo "fine-tune: $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s"
fi
echo "$(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'); load $(cut -d' ' -f1-3 /proc/loadavg)"
results="$work/results.tsv"
: >"$results"
for seed in 0508 0509 0510; do
  for overlap in ${overlaps//,/ }; do
    for batch in ${batches//,/ }; do
      report=$(mim infer --weights "$work/run/best" --input "$phantoms/imagesTr/phantom_$seed.nii.gz" \
        --reference "$phantoms/labelsTr/phantom_$seed.nii.gz" --output "$work/prediction.nii.gz" \
        --overlap "$overlap" --sw-batch "$batch")
      # "network 2.7 s (27 windows, 0.10 s each)", "total 3.9 s", "      1 liver  0.9354  11.73 ..."
      echo "$report" | awk -v seed="$seed" -v overlap="$overlap" -v batch="$batch" '
        /network [0-9.]+ s \(/ { match($0, /network [0-9.]+ s \([0-9]+ windows/); split(substr($0, RSTART, RLENGTH), w, /[ (]/); network = w[2]; windows = w[5] }
        /total [0-9.]+ s/ { match($0, /total [0-9.]+ s/); split(substr($0, RSTART, RLENGTH), t, " "); total = t[2] }
        /^ +[0-9]+ [a-z_]+ +[0-9]\.[0-9]+ / { dice[$2] = $3 }
        END { for (c in dice) printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", seed, overlap, batch, windows, network, total, c "=" dice[c] }' >>"$results"
      echo "phantom_$seed overlap $overlap, $batch window(s) per pass: $(echo "$report" | grep -o 'network [^;]*'), $(echo "$report" | grep -o 'mean Dice.*')"
    done
  done
done
/usr/bin/python3 - "$results" <<'PY'
import collections, statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
by = collections.defaultdict(list)
for seed, overlap, batch, windows, network, total, dice in rows:
    name, value = dice.split("=")
    by[(float(overlap), int(batch))].append((seed, int(windows), float(network), float(total), name, float(value)))
organs = sorted({r[4] for v in by.values() for r in v}, key=lambda n: ["liver", "spleen", "kidney_right", "kidney_left", "aorta"].index(n))
print("\n| overlap | windows per pass | windows per volume | network s (mean of 3) | total s | " + " | ".join(organs) + " | mean Dice |")
print("|---|---|---|---|---|" + "---|" * (len(organs) + 1))
for (overlap, batch), v in sorted(by.items()):
    cases = {r[0]: r for r in v}
    mean = lambda i: statistics.mean(r[i] for r in cases.values())
    per = [statistics.mean(r[5] for r in v if r[4] == o) for o in organs]
    print(f"| {overlap:g} | {batch} | {mean(1):.0f} | {mean(2):.2f} | {mean(3):.2f} | " + " | ".join(f"{d:.4f}" for d in per) + f" | {statistics.mean(per):.4f} |")
PY
