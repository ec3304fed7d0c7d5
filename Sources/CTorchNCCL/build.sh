#!/usr/bin/env bash
# Builds libctorch_nccl.so from ctorch_nccl.cpp against a libtorch's headers:
#
#   build.sh TORCH_DIR OUT_FILE [COMPILER FLAGS...]
#
# nccl.h and the CUDA runtime headers come from the flags (-isystem DIR; scripts/setup-nccl.sh passes its header
# cache) or from where a pip install of PyTorch keeps them (TORCH_DIR/../nvidia/{cu13,nccl}/include).
# cuda_declarations/ stands in, last on the path, for the cuBLAS/cuSPARSE/cuSOLVER headers ATen names.
# Nothing is linked: libtorch_cuda, c10_cuda and NCCL symbols stay undefined until the C shim dlopens this
# library after libtorch_cuda.so (RTLD_GLOBAL). Takes about a minute (one g++ on ProcessGroupNCCL.hpp).
set -euo pipefail
torch=$1
out=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
command -v "${CXX:-g++}" > /dev/null || { echo "${CXX:-g++} is needed to build the NCCL plugin" >&2; exit 2; }
flags=(-std=c++17 -fPIC -O2 -shared -DUSE_C10D_NCCL -D_GLIBCXX_USE_CXX11_ABI=1 -Wno-deprecated-declarations
  -isystem "$torch/include" -isystem "$torch/include/torch/csrc/api/include")
for dir in "$torch/../nvidia/cu13/include" "$torch/../nvidia/nccl/include"; do
  [ -d "$dir" ] && flags+=(-isystem "$dir")
done
# nccl_plugin.hpp: Sources/CTorch in the repository, the shim folder in a bundle (shim/nccl/ is this folder).
flags+=("$@" -I "$here/../CTorch" -I "$here/.." -idirafter "$here/cuda_declarations")
mkdir -p "$(dirname "$out")"
"${CXX:-g++}" "${flags[@]}" "$here/ctorch_nccl.cpp" -o "$out.partial"
mv "$out.partial" "$out"
