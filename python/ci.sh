#!/usr/bin/env bash
# CI for the Python package: a fresh venv with maturin, pytest, pandas, spaCy and PySpark;
# builds and installs the package from python/, then runs pytest python/tests (the spaCy
# tests use spacy.blank, no model download; the Spark tests run local[2] and need Java).
# Called from .ci/run after `cargo test --release`, whose release build of the binary and
# of the shared dependencies it reuses (same target folder and profile).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else "$@"; fi
}
apt_install() {
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1 || ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "installing python3 with venv" >&2
  apt_install python3 python3-venv python3-dev
fi
if ! command -v java >/dev/null 2>&1; then
  echo "installing Java for the Spark tests" >&2
  apt_install default-jre-headless
fi

venv="$root/target/py-venv"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
# shellcheck disable=SC1091
. "$venv/bin/activate"
python -m pip install -q --upgrade pip
python -m pip install -q "maturin>=1.5,<2" pytest pandas spacy pyspark

export CARGO_TARGET_DIR="$root/target"
cargo build --release --bin radpath
python -m pip install -q --no-build-isolation --force-reinstall --no-deps ./python
export RADPATH_BIN="$root/target/release/radpath"
# From the root, so that python/radpath (the sources, without the compiled module) does
# not shadow the installed package.
python -m pytest -q python/tests
