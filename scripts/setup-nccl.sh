#!/usr/bin/env bash
# Builds the NCCL plugin (libctorch_nccl.so, Sources/CTorchNCCL) into libtorch's lib folder, where the C shim
# looks for it when a CUDA group is asked for. It needs nccl.h and the CUDA 13 runtime headers, taken from
# pinned PyPI wheels (pip download --no-deps, checked by sha256 as setup-libtorch.sh does) into a header cache.
# Optional: make setup continues without it (CPU training, Gloo, never needs it), e.g. when PyPI is unreachable.
#
#   ECG_NCCL_PLUGIN  where to put the plugin (default: <libtorch>/lib/libctorch_nccl.so); needed when
#                    ECG_LIBTORCH points at a PyTorch install, which this script does not write into.
set -euo pipefail
cd "$(dirname "$0")/.."

TORCH_VERSION=2.11.0
# The NCCL that torch 2.11's wheel requires (nvidia-nccl-cu13==2.28.9): ProcessGroupNCCL's layout follows its macros.
NCCL_VERSION=2.28.9
NCCL_WHEEL="nvidia_nccl_cu13-2.28.9-py3-none-manylinux_2_18_x86_64.whl"
NCCL_SHA256="e4553a30f34195f3fa1da02a6da3d6337d28f2003943aa0a3d247bbc25fefc42"
# The CUDA runtime of setup-libtorch.sh, plus the two header-only wheels its cuda_runtime.h includes.
CUDART_VERSION=13.0.96
CUDART_WHEEL="nvidia_cuda_runtime-13.0.96-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
CUDART_SHA256="7f82250d7782aa23b6cfe765ecc7db554bd3c2870c43f3d1821f1d18aebf0548"
CRT_VERSION=13.0.88
CRT_WHEEL="nvidia_cuda_crt-13.0.88-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
CRT_SHA256="2c8043c7c9e02492716426e9919fc78d2c5b3b2a7a768a88e952676b08aa55a4"
CCCL_VERSION=13.0.85
CCCL_WHEEL="nvidia_cuda_cccl-13.0.85-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
CCCL_SHA256="e0da7ad981f3a8aff08241b5bfc1af868742a63e2762f53a5171c492ef242649"

fail() { echo "setup-nccl: $*" >&2; exit 1; }

LIBTORCH="${ECG_LIBTORCH:-$HOME/.cache/ecg-encoder/libtorch-$TORCH_VERSION}"
[[ -f $LIBTORCH/include/ATen/ATen.h ]] || fail "no libtorch headers in $LIBTORCH; run scripts/setup-libtorch.sh first"
if [[ -z ${ECG_NCCL_PLUGIN:-} && -n ${ECG_LIBTORCH:-} ]]; then
  fail "ECG_LIBTORCH points at $ECG_LIBTORCH; set ECG_NCCL_PLUGIN to where the plugin should go"
fi
PLUGIN="${ECG_NCCL_PLUGIN:-$LIBTORCH/lib/libctorch_nccl.so}"
SOURCES=(Sources/CTorchNCCL/ctorch_nccl.cpp Sources/CTorchNCCL/build.sh Sources/CTorch/nccl_plugin.hpp
  Sources/CTorchNCCL/cuda_declarations/*.h)
if [[ -f $PLUGIN ]] && [[ -z $(find "${SOURCES[@]}" -newer "$PLUGIN") ]]; then
  echo "the NCCL plugin is ready in $PLUGIN"
  exit 0
fi

HEADERS="$HOME/.cache/ecg-encoder/nccl-$NCCL_VERSION-cuda-$CUDART_VERSION/include"
if [[ ! -f $HEADERS/nccl.h || ! -f $HEADERS/crt/host_config.h || ! -f $HEADERS/nv/target ]]; then
  [[ $(uname -s) == Linux && $(uname -m) == x86_64 ]] || fail "the CUDA header wheels are pinned for Linux x86_64 only"
  PYTHON=${PYTHON:-$(command -v python3 || command -v python || true)}
  [[ -n $PYTHON ]] && "$PYTHON" -m pip --version > /dev/null 2>&1 \
    || fail "python3 with pip is needed to download the NCCL and CUDA headers"
  DOWNLOADS="${ECG_WHEEL_CACHE:-$HOME/.cache/ecg-encoder/wheels}"
  mkdir -p "$DOWNLOADS"
  source scripts/wheels.sh
  fetch nvidia-nccl-cu13 "$NCCL_VERSION" "$NCCL_WHEEL" "$NCCL_SHA256" --platform manylinux_2_18_x86_64
  fetch nvidia-cuda-runtime "$CUDART_VERSION" "$CUDART_WHEEL" "$CUDART_SHA256" --platform manylinux_2_17_x86_64
  fetch nvidia-cuda-crt "$CRT_VERSION" "$CRT_WHEEL" "$CRT_SHA256" --platform manylinux_2_17_x86_64
  fetch nvidia-cuda-cccl "$CCCL_VERSION" "$CCCL_WHEEL" "$CCCL_SHA256" --platform manylinux_2_17_x86_64
  staging="$HEADERS.partial"
  rm -rf "$staging" && mkdir -p "$staging"
  extract "$NCCL_WHEEL" "$staging" 'nvidia/nccl/include/nccl.h'
  extract "$CUDART_WHEEL" "$staging" 'nvidia/cu13/include/*'
  extract "$CRT_WHEEL" "$staging" 'nvidia/cu13/include/crt/*'
  extract "$CCCL_WHEEL" "$staging" 'nvidia/cu13/include/nv/*'
  mv "$staging/nvidia/nccl/include/nccl.h" "$staging/nvidia/cu13/include/"
  rm -rf "$HEADERS"
  mkdir -p "$(dirname "$HEADERS")"
  mv "$staging/nvidia/cu13/include" "$HEADERS"
  rm -rf "$staging"
fi

echo "Building the NCCL plugin into $PLUGIN (about a minute) ..."
Sources/CTorchNCCL/build.sh "$LIBTORCH" "$PLUGIN" -isystem "$HEADERS" || fail "the NCCL plugin did not compile"
echo "the NCCL plugin is ready in $PLUGIN"
