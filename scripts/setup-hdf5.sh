#!/usr/bin/env bash
# libhdf5 is needed only to read CODE-15 (`ecg preprocess --source code15`); ECGEncoder loads it at run
# time, so builds and every other command work without it. This script installs it on Debian/Ubuntu
# when run as root and says what to do otherwise. Usage: scripts/setup-hdf5.sh [--check]
set -euo pipefail

have_hdf5() {
  ldconfig -p 2>/dev/null | grep -Eq 'libhdf5(_serial)?\.so(\.[0-9]+)*'
}

if have_hdf5; then
  echo "libhdf5: found"
  exit 0
fi
if [[ "${1:-}" == "--check" ]]; then
  echo "libhdf5: missing (only CODE-15 needs it): apt-get install libhdf5-103 (or libhdf5-dev)" >&2
  exit 1
fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  apt-get update -qq || true
  # The runtime library is enough (it is loaded with dlopen); its name differs between Debian releases.
  for package in libhdf5-103-1 libhdf5-310 libhdf5-103 libhdf5-dev; do
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null 2>&1; then break; fi
  done
  have_hdf5 && { echo "libhdf5: installed"; exit 0; }
fi
echo "libhdf5: missing (only CODE-15 needs it). Install it with: sudo apt-get install libhdf5-103 (or libhdf5-dev)" >&2
exit 1
