#!/usr/bin/env bash
# The bundle's `ecg`: runs bin/ecg-bin against the PyTorch named by ECG_LIBTORCH (its torch folder or lib folder).
set -euo pipefail
bundle=$(cd "$(dirname "$0")/.." && pwd)
torch=${ECG_LIBTORCH:?set ECG_LIBTORCH to an installed PyTorch 2.11 torch folder, e.g. \$(python -c 'import torch,os;print(os.path.dirname(torch.__file__))')}
[ "$(basename "$torch")" = lib ] && torch=$(dirname "$torch")
[ -f "$torch/lib/libtorch_cpu.so" ] || { echo "ECG_LIBTORCH=$torch has no lib/libtorch_cpu.so" >&2; exit 2; }
version=$(sed -n "s/^__version__ = '\\(.*\\)'/\\1/p" "$torch/version.py" 2> /dev/null || true)
version=${version:-$(head -1 "$torch/VERSION" 2> /dev/null || echo unknown)}
shim="$bundle/lib"
if [ "${version%%+*}" != "$(cat "$bundle/lib/libctorch.torch-version")" ]; then
  # Another libtorch: its C++ ABI differs, so the shim is compiled against it once and cached.
  shim="${ECG_SHIM_CACHE:-$HOME/.cache/ecg-encoder}/ctorch-$version"
  if [ ! -f "$shim/libctorch.so" ]; then
    echo "building the C shim for PyTorch $version into $shim (once)" >&2
    "$bundle/shim/build.sh" "$torch" "$shim" >&2
  fi
fi
# pip's CUDA builds keep libcudart/cupti/cublas… in site-packages/nvidia/*/lib.
nvidia=$(find "$(dirname "$torch")/nvidia" -maxdepth 2 -name lib -type d 2> /dev/null | tr '\n' ':' || true)
export LD_LIBRARY_PATH="$shim:$torch/lib:$nvidia${LD_LIBRARY_PATH:-}"
export ECG_LIBTORCH="$torch"
exec "$bundle/bin/ecg-bin" "$@"
