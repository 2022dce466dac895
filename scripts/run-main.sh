#!/usr/bin/env bash
# The main job: build `mim`, show the runtime, generate a synthetic CT data set, pre-train the smoke-size MiM on it
# (50 steps, about a minute on 2 CPU cores) and embed one volume with the result.
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
