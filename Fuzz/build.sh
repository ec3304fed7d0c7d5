#!/usr/bin/env bash
# Builds the libFuzzer targets (swiftc -sanitize=fuzzer,address) into .build/fuzz/bin, outside the SwiftPM build so
# `make test` and CI never compile them. The parsers are compiled from Sources/ directly, one module at a time:
# SafePickle, TensorFormats and ECGTokenizer as modules, and the WFDB reader (Sources/ECGData/WFDB, plain Foundation,
# no libtorch) into the WFDB targets themselves.
#
# Usage: Fuzz/build.sh [target...]   (default: every target in Fuzz/Targets)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build/fuzz"
mkdir -p "$out/modules" "$out/bin"
flags=(-sanitize=fuzzer,address -O -g -parse-as-library -swift-version 6 -I "$out/modules")

all_targets() { for f in "$root"/Fuzz/Targets/*Fuzz.swift; do basename "$f" Fuzz.swift; done; }
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(all_targets)

# module NAME: compiles Sources/NAME into an object and a .swiftmodule, unless they are newer than every source
# file (and than SafePickle, which the other modules import).
module() {
  local name=$1; shift
  local object="$out/modules/$name.o"
  if [ -f "$object" ] && [ -z "$(find "$root/Sources/$name" -name '*.swift' -newer "$object")" ] \
    && { [ "$name" = SafePickle ] || [ "$object" -nt "$out/modules/SafePickle.o" ]; }; then return; fi
  echo "building module $name" >&2
  local sources
  mapfile -t sources < <(find "$root/Sources/$name" -name '*.swift' | sort)
  swiftc "${flags[@]}" -module-name "$name" -wmo -c "${sources[@]}" -o "$object" \
    -emit-module -emit-module-path "$out/modules/$name.swiftmodule"
  touch "$object"  # swiftc keeps an unchanged object file's old time
}

module SafePickle
for target in "${targets[@]}"; do
  source="$root/Fuzz/Targets/${target}Fuzz.swift"
  [ -f "$source" ] || { echo "unknown fuzz target '$target' (known: $(all_targets | tr '\n' ' '))" >&2; exit 64; }
  objects=("$out/modules/SafePickle.o")
  extra=()
  case "$target" in
    WFDB*) extra=("$root"/Sources/ECGData/WFDB/*.swift) ;;
    SafeTensors | TorchCheckpoint) module TensorFormats; objects+=("$out/modules/TensorFormats.o") ;;
    TokenizerFile) module ECGTokenizer; objects+=("$out/modules/ECGTokenizer.o") ;;
  esac
  binary="$out/bin/$target"
  if [ -f "$binary" ] && [ -z "$(find "$source" "${extra[@]}" "${objects[@]}" -newer "$binary")" ]; then continue; fi
  echo "building fuzz target $target" >&2
  swiftc "${flags[@]}" -use-ld=lld -module-name "${target}Fuzz" "$source" "${extra[@]}" "${objects[@]}" -o "$binary"
done
