#!/usr/bin/env bash
# The main job at this stage: build `mim`, show the runtime, and generate a synthetic CT data set.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/phantoms}
dotnet build host/MiM.Bundles.Cli --configuration Release -o out/bin
dotnet out/bin/mim.dll info
dotnet out/bin/mim.dll phantom --out "$out" --count 10 --size 128 --seed 0
