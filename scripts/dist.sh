#!/usr/bin/env bash
# A self-contained bundle of the `ecg` tool for machines without Swift (e.g. a GPU box with PyTorch installed):
#
#   scripts/dist.sh [OUT_DIR]          # default dist/ecg-bundle; CONFIG=debug for a quicker, slower binary
#
# OUT_DIR/bin/ecg-bin  the tool, Swift runtime and Foundation linked statically (swiftc -static-stdlib);
#                      the C shim is NOT inside it but in lib/libctorch.so, so it can be rebuilt per libtorch
# OUT_DIR/lib/         libctorch.so built against this machine's libtorch, and the version it was built for; the
#                      NCCL plugin libctorch_nccl.so beside it when scripts/setup-nccl.sh built one (multi-GPU)
# OUT_DIR/shim/        the shim's C++ sources and build.sh (g++ against another libtorch's headers), the plugin's
#                      in shim/nccl/
# OUT_DIR/bin/ecg      the launcher: ECG_LIBTORCH=<an installed PyTorch's torch folder, or its lib folder>;
#                      it rebuilds the shim (once, cached) when that PyTorch's version differs, then runs ecg-bin
#                      with the torch (and pip nvidia-*) libraries on LD_LIBRARY_PATH.
# OUT_DIR.tar.gz       the same bundle in one file, to carry elsewhere
set -euo pipefail
cd "$(dirname "$0")/.."
config=${CONFIG:-release}
out=${1:-dist/ecg-bundle}
libtorch=${ECG_LIBTORCH:-$HOME/.cache/ecg-encoder/libtorch-2.11.0}
[ -d "$libtorch/lib" ] || { echo "no libtorch at $libtorch: run make setup or set ECG_LIBTORCH" >&2; exit 2; }
swift build -c "$config" --product ecg ${JOBS:+-j "$JOBS"}
build=$(swift build -c "$config" --show-bin-path)
objects="$build/ecg.product/Objects.LinkFileList"
autolink=$(find "$build" -maxdepth 2 -name ecg.autolink | head -1)
[ -f "$objects" ] && [ -n "$autolink" ] || { echo "SwiftPM's link inputs for ecg not found under $build" >&2; exit 1; }

rm -rf "$out" && mkdir -p "$out/bin" "$out/lib" "$out/shim"
out=$(cd "$out" && pwd)
# The shim as its own library, from the objects SwiftPM compiled (same flags as the package's).
g++ -shared -o "$out/lib/libctorch.so" "$build"/CTorch.build/*.o -L"$libtorch/lib" \
  -Wl,--no-as-needed -ltorch_cpu -lc10 -Wl,--as-needed -ldl
cat "$libtorch/VERSION" 2> /dev/null | head -1 > "$out/lib/libctorch.torch-version" || echo 2.11.0 > "$out/lib/libctorch.torch-version"
# NCCL lives in a plugin the shim dlopens after libtorch_cuda.so, so the bundle still runs on CPU-only PyTorch.
plugin=${ECG_NCCL_PLUGIN:-$libtorch/lib/libctorch_nccl.so}
if [ -f "$plugin" ]; then
  cp "$plugin" "$out/lib/libctorch_nccl.so"
else
  echo "note: no NCCL plugin at $plugin (scripts/setup-nccl.sh): this bundle trains on one GPU at a time" >&2
fi
grep -v '/CTorch.build/' "$objects" > "$out/objects.txt"
# Static Swift runtime and Foundation; the group resolves Foundation's circular static dependencies.
swiftc -static-stdlib -o "$out/bin/ecg-bin" @"$out/objects.txt" @"$autolink" -L "$out/lib" -lctorch \
  -Xlinker --start-group -lFoundation -lCoreFoundation -l_FoundationCShims -lFoundationInternationalization \
  -l_FoundationICU -lFoundationEssentials -l_FoundationCollections -lswiftSynchronization -lswiftDispatch -ldispatch \
  -lBlocksRuntime -Xlinker --end-group -lstdc++ -ldl -Xlinker --defsym -Xlinker main=ecg_main \
  -Xlinker -rpath -Xlinker '$ORIGIN/../lib' -Xlinker -rpath-link -Xlinker "$libtorch/lib"
rm "$out/objects.txt"
cp Sources/CTorch/*.cpp Sources/CTorch/*.hpp "$out/shim/"
cp -r Sources/CTorch/include Sources/CTorch/gloo_declarations "$out/shim/"
cp -r Sources/CTorchNCCL "$out/shim/nccl"
cp scripts/dist-shim-build.sh "$out/shim/build.sh"
cp scripts/dist-launcher.sh "$out/bin/ecg"
chmod +x "$out/bin/ecg" "$out/shim/build.sh"
# One file to carry to another machine (about a third of the bundle's size; e.g. the GPU session's tool carries at
# most 64 MiB, and bin/ecg-bin alone is about 90 MB). scripts/gpu_bench.sh unpacks it when the bundle is missing.
tar -C "$(dirname "$out")" -czf "$out.tar.gz" "$(basename "$out")"
echo "bundle ready: $out (run: ECG_LIBTORCH=/path/to/site-packages/torch $out/bin/ecg --help)"
echo "packed: $out.tar.gz"
