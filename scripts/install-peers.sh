#!/usr/bin/env bash
# Installs the real DICOM/NIfTI peers the interop tests run against, only when missing (Debian packages):
# DCMTK (dump2dcm, dcmdump, dcm2json, dcmcrle, dcmcjpeg, dicom.dic), dcm2niix, pydicom (its test files and charsets).
set -euo pipefail
need=()
command -v dump2dcm >/dev/null 2>&1 || need+=(dcmtk)
command -v dcm2niix >/dev/null 2>&1 || need+=(dcm2niix)
[ -d /usr/lib/python3/dist-packages/pydicom/data/test_files ] || need+=(python3-pydicom)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing DICOM peers: ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
