#!/usr/bin/env bash
# The main job: build `mim`, show the runtime, then `mim demo`: build (first run only; cached under OUT/demo/cache/HASH)
# the demo bundles — an encoder (smoke pre-training on phantoms), an organ segmentation head and a lesion classification
# head (fine-tuned on phantoms) —, write two phantom CT studies as DICOM, start `mim serve` on free local ports, send the
# studies to it over DICOM C-STORE, receive the DICOM-SEG and SR back on the demo's own storage SCP and check them
# against the phantoms' truth (Dice per organ, the SR's lesion finding). Exits non-zero when any check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
dotnet build host/MiM.Bundles.Cli --configuration Release -o out/bin
dotnet out/bin/mim.dll info
dotnet out/bin/mim.dll demo --out "$out/demo"
