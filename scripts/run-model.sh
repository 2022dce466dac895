#!/usr/bin/env bash
# The model on its own (the main job before `mim demo` passed): build `mim`, show the runtime, generate a synthetic CT
# data set, pre-train the smoke-size MiM on it (50 steps, about a minute on 2 CPU cores), embed one volume with the
# result, then fine-tune a liver segmentation from that encoder on 4 small labelled phantoms (30 steps, ~15 s) and
# segment a held-out one, scored against its ground truth (Dice, HD95).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
dotnet build host/MiM.Bundles.Cli --configuration Release -o out/bin
dotnet out/bin/mim.dll info
dotnet out/bin/mim.dll phantom --out "$out/phantoms" --count 10 --size 128 --seed 0
# --resume makes a second run of this script continue (or simply finish) the same run instead of refusing.
dotnet out/bin/mim.dll pretrain --config configs/pretrain/smoke.json --data "$out/phantoms" --out "$out/runs/smoke" --resume
dotnet out/bin/mim.dll features --weights "$out/runs/smoke/model.safetensors" \
  --input "$out/phantoms/imagesTr/phantom_0000.nii.gz" --out "$out/runs/smoke/phantom_0000.features.safetensors"
# Downstream: few labels, the pre-trained encoder as the start (its transfer report is printed), a held-out case.
dotnet out/bin/mim.dll phantom --out "$out/phantoms-48" --count 6 --size 48 --seed 300
dotnet out/bin/mim.dll finetune --config configs/finetune/unit.json --data "$out/phantoms-48/dataset.json" \
  --out "$out/runs/finetune-unit" --steps 30 --pretrained "$out/runs/smoke" --resume
dotnet out/bin/mim.dll infer --weights "$out/runs/finetune-unit/best" --keep-largest \
  --input "$out/phantoms-48/imagesTr/phantom_0305.nii.gz" --reference "$out/phantoms-48/labelsTr/phantom_0305.nii.gz" \
  --output "$out/runs/finetune-unit/phantom_0305.liver.nii.gz"
