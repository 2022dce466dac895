#!/usr/bin/env bash
# Experiment (issue 6): does pre-training help fine-tuning with few labels?
#
# On synthetic phantoms: fine-tune a segmentation network (liver, spleen, right and left kidney) on 4 labelled cases
# from (a) random initialisation, (b) a single-level MAE pre-trained encoder, (c) a MiM pre-trained encoder, and score
# per-organ Dice on held-out phantoms (other seeds) after the last step, over several fine-tune seeds.
# (b) and (c) are pre-trained on the SAME unlabelled phantoms with the SAME number of encoder passes: a MiM step runs
# 1 + N2 + N2·N3 = 7 encoder passes of the ROI (unit masking: N2 = 2 level-2, N3 = 2 level-3 volumes per level-2),
# an MAE step (level-2/level-3/alignment weights 0, so only level 1 runs) runs 1, so MAE gets 7× the steps.
#
# Usage: bash bench/finetune/pretraining-helps.sh [small|mini|tiny] [work-folder]
#   small (default): the configuration meant for an idle 2-core CPU in well under an hour.
#   mini: a reduced run (48³ phantoms, 150 MiM steps, 60 fine-tune steps, 2 seeds, 2 held-out cases), minutes when idle.
#   tiny: the same pipeline in minutes on a busy machine, to check the script end to end (numbers mean nothing).
# Every stage is skipped when its result exists and resumed (--resume) when it was interrupted, so the script can be
# stopped and run again, or run in parts: STAGES="data pretrain" … then STAGES="finetune report".
set -euo pipefail
cd "$(dirname "$0")/../.."
size_name=${1:-small}
work=${2:-/tmp/mim-bench-pretraining-helps-$size_name}
case "$size_name" in
  small) phantom=64; pretrain_cases=16; mim_steps=1500; ft_steps=200; seeds="0 1 2"; heldout=4 ;;
  mini)  phantom=48; pretrain_cases=8;  mim_steps=150;  ft_steps=60;  seeds="0 1";   heldout=2 ;;
  tiny)  phantom=32; pretrain_cases=2;  mim_steps=2;   ft_steps=3;   seeds="0 1";   heldout=1 ;;
  *) echo "usage: $0 [small|mini|tiny] [work-folder]" >&2; exit 2 ;;
esac
stages=${STAGES:-"data pretrain finetune report"}
threads=${THREADS:-2}
passes_per_mim_step=7
mae_steps=$((mim_steps * passes_per_mim_step))
mkdir -p "$work"
echo "work folder $work; phantoms ${phantom}^3; pre-training: MiM $mim_steps steps, MAE $mae_steps steps; fine-tuning $ft_steps steps, seeds: $seeds"

if [ ! -f "$work/bin/mim.dll" ]; then
  dotnet build host/MiM.Bundles.Cli -c Release -o "$work/bin" >/dev/null
fi
mim() { dotnet "$work/bin/mim.dll" "$@"; }

# Resume a run folder that has checkpoints; start it otherwise.
resume_flag() { if [ -f "$1/checkpoints/latest" ]; then echo "--resume"; fi; }

if [[ " $stages " == *" data "* ]]; then
  # Unlabelled pre-training phantoms (seeds 1000…) and a labelled set: 4 training cases (seeds 2000…2003) then the
  # held-out ones (2004…), which the fine-tuning recipe takes from the end of the list.
  [ -f "$work/unlabelled/dataset.json" ] || mim phantom --out "$work/unlabelled" --count "$pretrain_cases" --size "$phantom" --seed 1000
  [ -f "$work/labelled/dataset.json" ] || mim phantom --out "$work/labelled" --count $((4 + heldout)) --size "$phantom" --seed 2000
fi

# Recipes derived from the shipped unit recipes, so network sizes stay in step with them.
/usr/bin/python3 - "$work" "$ft_steps" "$heldout" <<'PY'
import json, os, re, sys
work, ft_steps, heldout = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def load(path):
    text = open(path).read()
    return json.loads(re.sub(r'^\s*//.*$', '', text, flags=re.M))
mim = load('configs/pretrain/unit.json')
json.dump(mim, open(f'{work}/pretrain-mim.json', 'w'), indent=2)
mae = dict(mim, name='unit-mae', loss=dict(mim['loss'], level2=0, level3=0, align12=0, align23=0))
json.dump(mae, open(f'{work}/pretrain-mae.json', 'w'), indent=2)
ft = load('configs/finetune/unit.json')
ft.update(name='pretraining-helps', classNames=['background', 'liver', 'spleen', 'kidney_right', 'kidney_left'])
ft['downstream'] = dict(ft['downstream'], classes=5)
ft['data'] = dict(ft['data'], labels=[1, 2, 3, 4], trainingCases=4, validationCases=heldout,
                  trainingTransforms=os.path.abspath('configs/transforms/phantom-train.json'),
                  validationTransforms=os.path.abspath('configs/transforms/phantom-infer.json'))
ft['optimizer'] = dict(ft['optimizer'], totalSteps=ft_steps, warmupSteps=min(10, ft_steps))
ft['validation'] = dict(ft['validation'], every=ft_steps)
ft['output'] = dict(ft['output'], checkpointEvery=max(1, ft_steps // 3), logEvery=10)
json.dump(ft, open(f'{work}/finetune.json', 'w'), indent=2)
PY

if [[ " $stages " == *" pretrain "* ]]; then
  for kind in mim mae; do
    run="$work/pretrain-$kind"
    steps=$mim_steps; [ "$kind" = mae ] && steps=$mae_steps
    if [ ! -f "$run/model.safetensors" ]; then
      echo "== pre-training ($kind), $steps steps"
      mim pretrain --config "$work/pretrain-$kind.json" --data "$work/unlabelled/dataset.json" --out "$run" --steps "$steps" \
        --threads "$threads" $(resume_flag "$run") | grep -E '^(step [0-9]+/[0-9]+ .*checkpoint|Done|Stopped)' || true
      [ -f "$run/model.safetensors" ] || { echo "pre-training ($kind) did not finish; run the script again to resume" >&2; exit 1; }
    fi
  done
fi

if [[ " $stages " == *" finetune "* ]]; then
  for init in random mae mim; do
    for seed in $seeds; do
      run="$work/finetune-$init-seed$seed"
      [ -f "$run/final/segmentation.json" ] && continue
      pretrained=(); [ "$init" != random ] && pretrained=(--pretrained "$work/pretrain-$init")
      echo "== fine-tuning from $init, seed $seed"
      mim finetune --config "$work/finetune.json" --data "$work/labelled/dataset.json" --out "$run" --seed "$seed" \
        --threads "$threads" "${pretrained[@]}" $(resume_flag "$run") | grep -E '^(validation|Done|Stopped)|encoder weights from' || true
      [ -f "$run/final/segmentation.json" ] || { echo "fine-tuning ($init, seed $seed) did not finish; run the script again to resume" >&2; exit 1; }
    done
  done
fi

if [[ " $stages " == *" report "* ]]; then
  /usr/bin/python3 - "$work" "$seeds" "$mim_steps" "$mae_steps" "$ft_steps" <<'PY'
import csv, statistics, sys
work, seeds, mim_steps, mae_steps, ft_steps = sys.argv[1], sys.argv[2].split(), *sys.argv[3:]
def last_row(path):
    with open(path) as f:
        return list(csv.DictReader(f))[-1]
organs = None
lines = []
for kind in ('mim', 'mae'):
    m = last_row(f'{work}/pretrain-{kind}/metrics.csv')
    lines.append(f'pre-training {kind}: {m["step"]} steps, {float(m["elapsed_seconds"]):.0f} s, final loss {float(m["loss"]):.4f}')
rows = []
for init in ('random', 'mae', 'mim'):
    per_seed = []
    seconds = 0.0
    for seed in seeds:
        row = last_row(f'{work}/finetune-{init}-seed{seed}/validation.csv')
        organs = [k[len('dice_'):] for k in row if k.startswith('dice_')]
        per_seed.append([float(row['dice_' + o]) for o in organs] + [float(row['mean_dice'])])
        seconds += float(last_row(f'{work}/finetune-{init}-seed{seed}/metrics.csv')['elapsed_seconds'])
    cells = []
    for column in zip(*per_seed):
        mean = statistics.mean(column)
        spread = statistics.stdev(column) if len(column) > 1 else 0.0
        cells.append(f'{mean:.3f} ± {spread:.3f}')
    rows.append((init, cells, seconds / len(seeds)))
print()
print('\n'.join(lines))
print(f'fine-tuning: {ft_steps} steps on 4 labelled phantoms, Dice on the held-out phantoms after the last step, '
      f'mean ± sample standard deviation over seeds {" ".join(seeds)}')
print()
print('| encoder init | ' + ' | '.join(organs) + ' | mean | s per fine-tune |')
print('|---|' + '---|' * (len(organs) + 2))
for init, cells, seconds in rows:
    label = {'random': '(a) random', 'mae': '(b) MAE (level 1 only)', 'mim': '(c) MiM'}[init]
    print(f'| {label} | ' + ' | '.join(cells) + f' | {seconds:.0f} |')
PY
fi
