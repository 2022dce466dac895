# Shared by the bench/dicom scripts (sourced, not run): the synthetic 200-slice 512×512 CT series they all read, the
# build of `mim` they time, and the clock they time it with. Kept in one place so the scripts measure the same files.

# Seconds since the epoch with nanoseconds, for awk to subtract.
now() { date +%s.%N; }

# Builds the CLI into out/bin (run from the repository root), quietly.
build_mim() { dotnet build host/MiM.Bundles.Cli -c Release -o out/bin >/dev/null; }

# make_ct_series FOLDER TAGS
# Writes 200 CT slices of 512×512 (int16, an ellipse "body" with a slice-dependent ramp over air) as FOLDER/slice000.dcm
# ... slice199.dcm with DCMTK dump2dcm, unless FOLDER already holds 200 .dcm files. TAGS is the dump2dcm text of each
# slice's identity (UIDs, patient, geometry), a Python f-string body where {k} is the slice index 0..199; the pixel
# module and the pixel data are added here.
make_ct_series() {
  local folder=$1 tags=$2
  mkdir -p "$folder"
  [ "$(find "$folder" -name '*.dcm' | wc -l)" -eq 200 ] && return
  echo "making 200 slices of 512x512 with dump2dcm ..."
  /usr/bin/python3 - "$folder" "$tags" <<'PY'
import sys, numpy as np
folder, tags = sys.argv[1], sys.argv[2]
yy, xx = np.mgrid[0:512, 0:512]
for k in range(200):
    body = ((xx - 256) ** 2 / 200 ** 2 + (yy - 256) ** 2 / 150 ** 2) < 1
    np.where(body, 1064 + ((xx + yy + 3 * k) % 50), 24).astype('<i2').tofile(f"{folder}/slice{k:03d}.raw")
    with open(f"{folder}/slice{k:03d}.txt", "w") as f:
        f.write(eval(f"f{tags!r}", {"k": k}) + f"""
(0028,0002) US 1
(0028,0004) CS [MONOCHROME2]
(0028,0010) US 512
(0028,0011) US 512
(0028,0100) US 16
(0028,0101) US 16
(0028,0102) US 15
(0028,0103) US 1
(7fe0,0010) OW =slice{k:03d}.raw
""")
PY
  (cd "$folder" && for t in slice*.txt; do dump2dcm --write-xfer-little "$t" "${t%.txt}.dcm"; done && rm -f slice*.txt slice*.raw)
}

# The geometry and rescale tags of the series (LPS origin (-200, -150, -300), 0.78 mm pixels, 1.25 mm slices, axial), for
# make_ct_series's TAGS; the frame of reference UID is the caller's.
ct_series_geometry='(0020,0032) DS [-200\\-150\\{-300 + 1.25 * k}]
(0020,0037) DS [1\\0\\0\\0\\1\\0]
(0028,0030) DS [0.78\\0.78]
(0028,1052) DS [-1024]
(0028,1053) DS [1]
(0018,0050) DS [1.25]'

# ct_series_tags ROOT NAME
# make_ct_series's TAGS for a series whose UIDs start with 2.25.ROOT (instances 2.25.ROOT100k, study 2.25.ROOT200,
# series 2.25.ROOT300, frame of reference 2.25.ROOT400), patient Bench^NAME, with the geometry above; ROOT keeps the
# scripts' series apart.
ct_series_tags() {
  local root=$1 name=$2
  printf '%s' "(0002,0002) UI =CTImageStorage
(0002,0003) UI [2.25.${root}100{k}]
(0008,0016) UI =CTImageStorage
(0008,0018) UI [2.25.${root}100{k}]
(0008,0060) CS [CT]
(0010,0010) PN [Bench^${name}]
(0010,0020) LO [BENCH]
(0020,000d) UI [2.25.${root}200]
(0020,000e) UI [2.25.${root}300]
(0020,0013) IS [{k + 1}]
(0020,0052) UI [2.25.${root}400]
$ct_series_geometry"
}
