#!/usr/bin/env bash
# The model job (scripts/run-model.sh, the README's main job before `mim demo`) N times in a row from one fresh clone
# of this repository (issue 11): out/ is emptied before each run, so every run builds, pre-trains, fine-tunes and
# segments from scratch. Prints one line per run (exit code, seconds, held-out mean Dice) and exits non-zero if any
# run failed or the Dice differed between runs.
# Usage: bash bench/main-job/repeat.sh [N=20] [CLONE_DIR=/tmp/mim-main-job]
set -uo pipefail
runs=${1:-20}
clone=${2:-/tmp/mim-main-job}
repo=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$clone" && git clone -q "$repo" "$clone" || exit 2
cd "$clone" || exit 2
failed=0
dices=()
for i in $(seq 1 "$runs"); do
  rm -rf out
  start=$(date +%s)
  if bash scripts/run-model.sh > "run-$i.log" 2>&1; then rc=0; else rc=$?; failed=1; fi
  dice=$(grep -oE "mean Dice \(without background\): [0-9.]+" "run-$i.log" | tail -1 | awk '{print $NF}')
  dices+=("$dice")
  echo "run $i: exit $rc, $(( $(date +%s) - start )) s, held-out mean Dice ${dice:-none}"
done
distinct=$(printf '%s\n' "${dices[@]}" | sort -u | wc -l)
echo "$runs runs, $( [ $failed = 0 ] && echo all passed || echo SOME FAILED ), $distinct distinct Dice value(s)"
[ $failed = 0 ] && [ "$distinct" = 1 ]
