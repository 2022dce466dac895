#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs the DICOM peers when missing, builds, runs every test
# project, and ends with one line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-peers.sh || { echo "could not install the DICOM peers"; exit 1; }
log=$(mktemp)
# Soak tests (long or known-open stress runs) run on demand: dotnet test ... --filter Category=Soak
dotnet test MiM.Bundles.sln --configuration Release --filter "Category!=Soak" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# dotnet test prints one summary per test project; add them up into the closing line CI reads.
awk '/(Passed|Failed)! +- /{
  for (i = 1; i <= NF; i++) {
    if ($i == "Failed:")  f += $(i+1);
    if ($i == "Passed:")  p += $(i+1);
    if ($i == "Skipped:") s += $(i+1);
  }
} END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
