#!/usr/bin/env bash
# make demo: pretrain a tiny DiT with rectified flow on synthetic ECGs on the CPU, sample a few ECGs and draw
# them beside real ones. Needs only what `make release` sets up; no download beyond libtorch.
set -euo pipefail
cd "$(dirname "$0")/.."

ECG=.build/release/ecg
STORE=${DEMO_STORE:-demo/synthetic-store}
RUNS=${DEMO_RUNS:-runs}
STEPS=${DEMO_STEPS:-200}
# 2 s windows (the first 500 samples of the store's 10 s at 250 Hz): DiT attends over every sample.
SEGMENT=${DEMO_SEGMENT:-500}

if [ ! -f "$STORE/store.json" ]; then
  echo "== creating the synthetic dataset store $STORE (ecg data synth)"
  "$ECG" data synth --count 512 --out "$STORE" --quiet
fi

echo "== pretraining a tiny DiT (rectified flow) on $STORE, $STEPS steps of 8 windows of $SEGMENT samples on the CPU"
LOG=$(mktemp)
"$ECG" pretrain --data "$STORE" --neural_network trans_continuous_dit --objective rectified_flow \
  --preset tiny --segment_len "$SEGMENT" --batch_size 8 --epochs 100 --max_steps "$STEPS" --lr 1e-3 --warmup 20 --ema --ema_decay 0.99 \
  --log_every 10 --device cpu --runs_dir "$RUNS" --plain | tee "$LOG"
RUN=$(sed -n 's/^Run folder: //p' "$LOG")

echo "== sampling ECGs from the EMA weights"
"$ECG" sample "$RUN" --count 2 --steps 50

FIRST=$(head -n 1 "$RUN/metrics.jsonl" | sed -E 's/.*"loss":([^,}]*).*/\1/')
LAST=$(tail -n 1 "$RUN/metrics.jsonl" | sed -E 's/.*"loss":([^,}]*).*/\1/')
cat <<SUMMARY

run          $RUN
checkpoints  $RUN/checkpoints
metrics      $RUN/metrics.jsonl  (TensorBoard: tensorboard --logdir $RUNS)
picture      $RUN/samples.svg
loss         $FIRST at the first record → $LAST at the last ($STEPS steps)
SUMMARY
rm -f "$LOG"
