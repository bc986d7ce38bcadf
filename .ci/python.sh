#!/usr/bin/env bash
# Python side of CI (called by .ci/run after the Rust tests): validate data/clean/datapackage.json
# with frictionless, check the Parquet exports against the CSV, run the Python snippets of README.md and
# docs/using-the-data.md, execute every notebook in notebooks/.
# Uses a venv under $HOME/.cache/gulagstats-venv with the pins in .ci/requirements-python.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${GULAGSTATS_VENV:-$HOME/.cache/gulagstats-venv}"
REQ=.ci/requirements-python.txt
CON=.ci/constraints-python.txt
PY="$VENV/bin/python"

echo "== python: venv $VENV"
if ! "$PY" -c 'import sys; assert sys.version_info >= (3, 10)' 2>/dev/null; then
  rm -rf "$VENV"
  # Debian without python3-venv has no ensurepip: then make the venv without pip and use the system pip
  python3 -m venv "$VENV" 2>/dev/null || { rm -rf "$VENV"; python3 -m venv --without-pip "$VENV"; }
fi
if "$PY" -m pip --version >/dev/null 2>&1; then PIP=("$PY" -m pip); else PIP=(python3 -m pip --python "$PY"); fi
stamp="$(cat "$REQ" "$CON" | sha256sum | cut -d' ' -f1) $("$PY" -c 'import sys; print(sys.version.split()[0])')"
if [ "$(cat "$VENV/.gulagstats-stamp" 2>/dev/null)" != "$stamp" ]; then
  "${PIP[@]}" install --quiet --disable-pip-version-check --no-input -r "$REQ" -c "$CON"
  echo "$stamp" > "$VENV/.gulagstats-stamp"
fi
"$PY" -c 'import polars, pyarrow, pandas, matplotlib, nbformat, nbclient, ipykernel, frictionless
print("python", __import__("sys").version.split()[0], "polars", polars.__version__, "pyarrow", pyarrow.__version__,
      "frictionless", frictionless.__version__ if hasattr(frictionless, "__version__") else "?")'

export MPLBACKEND=Agg
export PYTHONHASHSEED=0
export PYDEVD_DISABLE_FILE_VALIDATION=1
export JUPYTER_PATH="$VENV/share/jupyter"   # the venv's python3 kernel comes first
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "== python: frictionless validate data/clean/datapackage.json"
"$VENV/bin/frictionless" validate --json data/clean/datapackage.json > "$tmp/report.json" || true
if ! "$PY" .ci/check_exports.py package "$tmp/report.json"; then
  "$VENV/bin/frictionless" validate data/clean/datapackage.json | tail -n 60 || true
  exit 1
fi

echo "== python: Parquet against CSV"
"$PY" .ci/check_exports.py parquet

echo "== python: the documentation's Python snippets"
"$PY" .ci/run_doc_snippets.py > "$tmp/snippets.txt" 2>&1 || { cat "$tmp/snippets.txt"; exit 1; }
tail -n 1 "$tmp/snippets.txt"

echo "== python: notebooks"
"$PY" .ci/run_notebooks.py
