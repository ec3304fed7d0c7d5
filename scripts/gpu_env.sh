# Sourced by the scripts/gpu_*.sh scripts (from the repository root): $python is PYTHON (default
# /opt/torch/.venv/bin/python), $ecg the ecg binary or bundle launcher ECG (default dist/ecg-bundle/bin/ecg, unpacked
# from dist/ecg-bundle.tar.gz, the form `make dist` packs for the GPU session, when only that arrived), and
# ECG_LIBTORCH (default: PYTHON's torch folder) is exported for the bundle's launcher.
python=${PYTHON:-/opt/torch/.venv/bin/python}
ecg=${ECG:-dist/ecg-bundle/bin/ecg}
if [ -z "${ECG:-}" ] && [ ! -x "$ecg" ] && [ -f dist/ecg-bundle.tar.gz ]; then tar -C dist -xzf dist/ecg-bundle.tar.gz; fi
[ -x "$ecg" ] || { echo "no ecg at $ecg: run make dist (or set ECG)" >&2; exit 2; }
if [ -z "${ECG_LIBTORCH:-}" ] && [ -x "$python" ]; then
  ECG_LIBTORCH=$("$python" -c 'import os, torch; print(os.path.dirname(torch.__file__))') && export ECG_LIBTORCH
fi
