#!/usr/bin/env bash
# make demo: pretrain a tiny DiT with rectified flow on synthetic ECGs on the CPU, sample a few ECGs and draw
# them beside real ones. Needs only what `make release` sets up; no download beyond libtorch.
set -euo pipefail
cd "$(dirname "$0")/.."

ECG=.build/release/ecg
STORE=${DEMO_STORE:-demo/synthetic-store}
RUNS=${DEMO_RUNS:-runs}
STEPS=${DEMO_STEPS:-2000}
BATCH=${DEMO_BATCH:-8}
# 1 s windows (the first 250 samples of the store's 10 s at 250 Hz): DiT attends over every sample, so the
# window's length sets most of a step's cost.
SEGMENT=${DEMO_SEGMENT:-250}
THREADS=${DEMO_THREADS:-1}

if [ ! -f "$STORE/store.json" ]; then
  echo "== creating the synthetic dataset store $STORE (ecg data synth)"
  "$ECG" data synth --count 512 --out "$STORE" --quiet
fi

echo "== pretraining a tiny DiT (rectified flow) on $STORE: $STEPS steps of $BATCH windows of $SEGMENT samples, CPU"
LOG=$(mktemp)
trap 'rm -f "$LOG" "$LOG.eval"' EXIT
START=$(date +%s)
# --patience 1000: the reference's early stopping (δ = 0.1 in absolute loss) would end the run after a few
# epochs of this small store, long before the samples take shape.
"$ECG" pretrain --data "$STORE" --neural_network trans_continuous_dit --objective rectified_flow \
  --preset tiny --segment_len "$SEGMENT" --batch_size "$BATCH" --epochs 1000 --max_steps "$STEPS" \
  --lr 2e-3 --lr_schedule cosine --warmup 50 --grad_clip 1.0 --ema --ema_decay 0.995 --patience 1000 \
  --log_every 20 --device cpu --threads "$THREADS" --runs_dir "$RUNS" --plain | tee "$LOG"
RUN=$(sed -n 's/^Run folder: //p' "$LOG")
SECONDS_TRAINING=$(($(date +%s) - START))

echo "== sampling ECGs from the EMA weights"
"$ECG" sample "$RUN" --count 3 --steps 50

echo "== linear probe of the demo's encoder on the synthetic labels, against the random-initialisation row"
EVAL="$RUN/eval-classification"
"$ECG" eval --task classification --nn_ckpt "$RUN" --data "$STORE" --labels synthetic --protocol linear \
  --label_fraction 1 --seeds 0 1 --out "$EVAL" --threads "$THREADS" | tee "$LOG.eval"
REPORT=$(sed -n 's/^report: //p' "$LOG.eval")

# Step losses of rectified flow are noisy (a fresh noise level per window): compare the means of the first and
# last five records.
SUMMARY=$(sed -E 's/.*"loss":([^,}]*).*/\1/' "$RUN/metrics.jsonl" | awk '
  { loss[NR] = $1 }
  END {
    n = NR < 5 ? NR : 5
    for (i = 1; i <= n; i++) { first += loss[i]; last += loss[NR - n + i] }
    printf "%.3f (mean of the first %d records) → %.3f (mean of the last %d)", first / n, n, last / n, n
  }')
cat <<SUMMARY

run          $RUN
checkpoints  $RUN/checkpoints
metrics      $RUN/metrics.jsonl  (TensorBoard: tensorboard --logdir $RUNS)
picture      $RUN/samples.svg
probe        ${REPORT:-$EVAL} (linear probe on the synthetic labels beside the random-initialisation row)
loss         $SUMMARY over $STEPS steps, ${SECONDS_TRAINING} s of training
SUMMARY
