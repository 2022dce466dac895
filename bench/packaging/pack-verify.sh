#!/usr/bin/env bash
# Benchmark (distribution): `mim bundle pack`, `sign`, `verify` and `install` of a bundle whose weights are ~280 MB of
# random bytes, against `sha256sum` of the same weights file and of the archive, same run. Random weights do not
# compress, like real float weights; .safetensors are stored in the zip, so verification is one SHA-256 pass.
# The files were just written, so reads come from the page cache (as on a host that just downloaded a bundle); each mim
# figure includes the CLI's start-up, printed separately.
# Usage: bash bench/packaging/pack-verify.sh [work-folder] [repeats] [weights-MiB]
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-/tmp/mim-bench-pack-verify}
repeats=${2:-3}
mib=${3:-280}
mim_dll=${MIM_DLL:-host/MiM.Bundles.Cli/bin/Release/net10.0/mim.dll}
[ -f "$mim_dll" ] || dotnet build host/MiM.Bundles.Cli -c Release >/dev/null
mim() { dotnet "$mim_dll" "$@"; }
now() { date +%s.%N; }
# rate START END BYTES: seconds and MB/s (10^6 bytes).
rate() { awk -v s="$1" -v e="$2" -v b="$3" 'BEGIN { printf "%6.2f s %5.0f MB/s", e - s, b / 1e6 / (e - s) }'; }

bundle=$work/bundle
weights=$bundle/models/encoder.safetensors
mkdir -p "$bundle/configs" "$bundle/models" "$bundle/docs"
if [ ! -f "$weights" ] || [ "$(stat -c %s "$weights")" -ne $((mib * 1048576)) ]; then
  head -c $((mib * 1048576)) /dev/urandom > "$weights"
fi
cat > "$bundle/configs/metadata.json" <<'JSON'
{"id": "bench-ct-seg", "version": "1.0.0", "changelog": {"1.0.0": "bench"}, "requires": {"mim-encoder": "^1.0"}, "contracts_version": "1.0"}
JSON
echo '{"inferer": {"roi": [96, 96, 96]}}' > "$bundle/configs/inference.json"
echo '{"modality": "CT"}' > "$bundle/configs/selection.json"
echo '# bench' > "$bundle/docs/README.md"
echo 'MIT' > "$bundle/LICENSE"
rm -rf "$work/keys"
mim bundle keygen --id bench --out "$work/keys" >/dev/null
bytes=$(du -sb "$bundle" | cut -f1)
s=$(now); mim bundle --help >/dev/null; e=$(now)
awk -v s="$s" -v e="$e" -v b="$bytes" 'BEGIN { printf "bundle: %.1f MB; mim start-up (bundle --help): %.2f s\n", b / 1e6, e - s }'
for i in $(seq "$repeats"); do
  rm -rf "$work/b.mimb" "$work/signed.mimb" "$work/bundles"
  t0=$(now); mim bundle pack "$bundle" --out "$work/b.mimb" >/dev/null
  t1=$(now); mim bundle sign "$work/b.mimb" --key "$work/keys/bench.key" >/dev/null
  t2=$(now); mim bundle verify "$work/b.mimb" --trust "$work/keys/bench.pub" >/dev/null
  t3=$(now); mim bundle pack "$bundle" --out "$work/signed.mimb" --key "$work/keys/bench.key" >/dev/null
  t4=$(now); mim bundle install "$work/signed.mimb" --bundles "$work/bundles" --trust "$work/keys/bench.pub" >/dev/null
  t5=$(now); sha256sum "$weights" >/dev/null
  t6=$(now); sha256sum "$work/signed.mimb" >/dev/null
  t7=$(now); mim bundle verify "$work/bundles/bench-ct-seg/1.0.0" --trust "$work/keys/bench.pub" >/dev/null
  t8=$(now)
  echo "run $i:"
  echo "  mim bundle pack (unsigned)     $(rate "$t0" "$t1" "$bytes")"
  echo "  mim bundle sign                $(rate "$t1" "$t2" "$bytes")"
  echo "  mim bundle verify (archive)    $(rate "$t2" "$t3" "$bytes")"
  echo "  mim bundle pack --key          $(rate "$t3" "$t4" "$bytes")"
  echo "  mim bundle install             $(rate "$t4" "$t5" "$bytes")"
  echo "  mim bundle verify (installed)  $(rate "$t7" "$t8" "$bytes")"
  echo "  sha256sum weights              $(rate "$t5" "$t6" "$bytes")"
  echo "  sha256sum archive              $(rate "$t6" "$t7" "$bytes")"
done
