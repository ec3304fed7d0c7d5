#!/usr/bin/env bash
# Installs the pinned libtorch 2.11.0 (headers + CPU shared libraries) into a cache folder, once.
#
#   ECG_LIBTORCH   target folder (default: $HOME/.cache/ecg-encoder/libtorch-2.11.0). It may also point
#                  at an existing PyTorch 2.11 install's `torch` folder (site-packages/torch); then
#                  nothing is downloaded, the folder is only checked.
#
# The wheels come from PyPI through `pip download --no-deps`; each is checked against the sha256 below.
set -euo pipefail

TORCH_VERSION=2.11.0
TORCH_WHEEL="torch-2.11.0-cp311-cp311-manylinux_2_28_x86_64.whl"
TORCH_SHA256="7aa2f9bbc6d4595ba72138026b2074be1233186150e9292865e04b7a63b8c67a"
CUDART_VERSION=13.0.96
CUDART_WHEEL="nvidia_cuda_runtime-13.0.96-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
CUDART_SHA256="7f82250d7782aa23b6cfe765ecc7db554bd3c2870c43f3d1821f1d18aebf0548"
CUPTI_VERSION=13.0.85
CUPTI_WHEEL="nvidia_cuda_cupti-13.0.85-py3-none-manylinux_2_25_x86_64.whl"
CUPTI_SHA256="4eb01c08e859bf924d222250d2e8f8b8ff6d3db4721288cf35d14252a4d933c8"

TARGET="${ECG_LIBTORCH:-$HOME/.cache/ecg-encoder/libtorch-$TORCH_VERSION}"
REQUIRED_LIBS=(libtorch_cpu.so libc10.so libgomp.so.1 libcudart.so.13 libcupti.so.13)

fail() { echo "setup-libtorch: $*" >&2; exit 1; }

is_complete() {
  local dir=$1
  [[ -f $dir/include/ATen/ATen.h && -f $dir/include/torch/headeronly/version.h ]] || return 1
  [[ -f $dir/lib/libtorch_cpu.so && -f $dir/lib/libc10.so ]] || return 1
  # A PyTorch install keeps the CUDA runtime beside torch/ (nvidia/cu13/lib); our cache keeps it in lib/.
  local lib
  for lib in libcudart.so.13 libcupti.so.13; do
    [[ -f $dir/lib/$lib || -f $dir/../nvidia/cu13/lib/$lib ]] || return 1
  done
  grep -q "define TORCH_VERSION_MINOR 11$" "$dir/include/torch/headeronly/version.h" \
    || fail "$dir holds a libtorch that is not $TORCH_VERSION; point ECG_LIBTORCH elsewhere or remove it"
  return 0
}

if is_complete "$TARGET"; then
  echo "libtorch $TORCH_VERSION is ready in $TARGET"
  exit 0
fi
if [[ -n ${ECG_LIBTORCH:-} && -d $ECG_LIBTORCH/lib && -f $ECG_LIBTORCH/lib/libtorch_cpu.so ]]; then
  fail "ECG_LIBTORCH=$ECG_LIBTORCH looks like a PyTorch install but lacks headers or the CUDA runtime libraries; unset ECG_LIBTORCH to use the cache folder"
fi

[[ $(uname -s) == Linux && $(uname -m) == x86_64 ]] || fail "prebuilt libtorch wheels are pinned for Linux x86_64 only; on $(uname -s)/$(uname -m) point ECG_LIBTORCH at a PyTorch $TORCH_VERSION install's torch folder"
PYTHON=${PYTHON:-$(command -v python3 || command -v python || true)}
[[ -n $PYTHON ]] || fail "python3 is needed to download libtorch; install Python 3 with pip (e.g. apt-get install python3-pip) or set ECG_LIBTORCH"
"$PYTHON" -m pip --version >/dev/null 2>&1 || fail "pip is missing for $PYTHON; install it (python3 -m ensurepip or apt-get install python3-pip) or set ECG_LIBTORCH"

DOWNLOADS="${ECG_WHEEL_CACHE:-$HOME/.cache/ecg-encoder/wheels}"
mkdir -p "$DOWNLOADS"
source "$(dirname "$0")/wheels.sh"

fetch torch "$TORCH_VERSION" "$TORCH_WHEEL" "$TORCH_SHA256" --python-version 3.11 --platform manylinux_2_28_x86_64
fetch nvidia-cuda-runtime "$CUDART_VERSION" "$CUDART_WHEEL" "$CUDART_SHA256" --platform manylinux_2_17_x86_64
fetch nvidia-cuda-cupti "$CUPTI_VERSION" "$CUPTI_WHEEL" "$CUPTI_SHA256" --platform manylinux_2_25_x86_64

STAGING="$TARGET.partial"
rm -rf "$STAGING"
mkdir -p "$STAGING"
echo "Unpacking libtorch into $TARGET ..."
extract "$TORCH_WHEEL" "$STAGING/wheel" 'torch/include/*' 'torch/lib/libtorch_cpu.so' 'torch/lib/libtorch.so' \
  'torch/lib/libc10.so' 'torch/lib/libgomp.so.1' 'torch/lib/libtorch_global_deps.so' 'torch/lib/libshm.so'
extract "$CUDART_WHEEL" "$STAGING/wheel" 'nvidia/cu13/lib/libcudart.so.13'
extract "$CUPTI_WHEEL" "$STAGING/wheel" 'nvidia/cu13/lib/libcupti.so.13'
mv "$STAGING/wheel/torch/include" "$STAGING/include"
mkdir -p "$STAGING/lib"
mv "$STAGING"/wheel/torch/lib/* "$STAGING/lib/"
mv "$STAGING"/wheel/nvidia/cu13/lib/* "$STAGING/lib/"
rm -rf "$STAGING/wheel"
for lib in "${REQUIRED_LIBS[@]}"; do
  [[ -f $STAGING/lib/$lib ]] || fail "unpacking did not produce lib/$lib; remove $STAGING and run make setup again"
done
echo "$TORCH_VERSION" > "$STAGING/VERSION"
rm -rf "$TARGET"
mv "$STAGING" "$TARGET"
echo "libtorch $TORCH_VERSION is ready in $TARGET"
