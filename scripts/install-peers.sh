#!/usr/bin/env bash
# Installs the real DICOM/NIfTI peers the interop tests run against, only when missing:
# Debian packages — DCMTK (dump2dcm, dcmdump, dcm2json, storescu/storescp, dicom.dic), dcm2niix, pydicom
# (its test files and charsets; numpy for its pixel_array), dicom3tools (dciodvfy), Orthanc, PixelMed (validator), Node.js,
# systemd (systemd-analyze, for the unit file's check);
# npm packages pinned in tests/interop/node — dcmjs (reader) and dcmjs-dimse (a network peer not built on DCMTK).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v dump2dcm >/dev/null 2>&1 || need+=(dcmtk)
command -v dcm2niix >/dev/null 2>&1 || need+=(dcm2niix)
[ -d /usr/lib/python3/dist-packages/pydicom/data/test_files ] || need+=(python3-pydicom)
/usr/bin/python3 -c "import numpy" >/dev/null 2>&1 || need+=(python3-numpy)
command -v dciodvfy >/dev/null 2>&1 || need+=(dicom3tools)
command -v Orthanc >/dev/null 2>&1 || need+=(orthanc)
[ -f /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || need+=(orthanc-dicomweb)
[ -f /usr/share/java/pixelmed.jar ] || need+=(pixelmed-apps)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
# systemd-analyze checks configs/systemd/mim-serve.service (the unit is verified, never started).
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing DICOM peers: ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ ! -d tests/interop/node/node_modules/dcmjs-dimse ]; then
  echo "Installing npm peers (dcmjs, dcmjs-dimse)"
  (cd tests/interop/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
