#!/usr/bin/env bash
# Builds the bundle's C shim (libctorch.so) against an installed PyTorch: build.sh TORCH_DIR OUT_DIR
# TORCH_DIR is a torch folder with include/ and lib/ (a pip install's site-packages/torch). Needs g++ (C++17).
# With a CUDA build of PyTorch it also builds the NCCL plugin (nccl/build.sh) beside the shim, from the headers
# of the pip install's nvidia-* packages; without them the shim still builds and trains on one GPU at a time.
set -euo pipefail
torch=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
[ -d "$torch/include/torch" ] || { echo "$torch has no include/torch: point ECG_LIBTORCH at a PyTorch torch folder" >&2; exit 2; }
command -v g++ > /dev/null || { echo "g++ is needed to build the shim for this PyTorch (apt-get install g++)" >&2; exit 2; }
mkdir -p "$out/objects"
# As Package.swift: Gloo's process group, with the few Gloo headers the wheel lacks declared in gloo_declarations/.
flags=(-std=c++17 -fPIC -O2 -D_GLIBCXX_USE_CXX11_ABI=1 -Wno-deprecated-declarations -I "$here/include"
  -I "$here/gloo_declarations" -DUSE_C10D_GLOO
  -isystem "$torch/include" -isystem "$torch/include/torch/csrc/api/include")
pids=()
for source in "$here"/*.cpp; do
  g++ "${flags[@]}" -c "$source" -o "$out/objects/$(basename "$source" .cpp).o" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
g++ -shared -o "$out/libctorch.so" "$out"/objects/*.o -L "$torch/lib" -Wl,--no-as-needed -ltorch_cpu -lc10 \
  -Wl,--as-needed -ldl
rm -rf "$out/objects"
if [ -f "$torch/lib/libtorch_cuda.so" ]; then
  "$here/nccl/build.sh" "$torch" "$out/libctorch_nccl.so" \
    || echo "warning: the NCCL plugin did not build for this PyTorch; multi-GPU training is unavailable" >&2
fi
