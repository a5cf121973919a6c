#!/usr/bin/env bash
# The GPU checks of issue 7, in one go (about 5 minutes on an H200), from the repository root:
#   1. versions and what imports (CuPy, PyTorch, pytest, hypothesis, Dask);
#   2. benchmarks/gpu_mlp.py: MLP gradient, hodiff on CuPy vs hand-written CuPy vs PyTorch CUDA,
#      float64 and float32, with the host-transfer check;
#   3. the CuPy list for docs/backends.md (a copy with the list filled in: backends.md);
#   4. tests/test_backends.py on CuPy arrays (every spec row's case, HODIFF_CUPY=1).
# Everything lands in $OUT (or benchmarks/results/gpu if OUT is unset). Each step has its own
# time limit, so one that hangs doesn't cost the others. Exit status: 0 if every step passed.
set -u
cd "$(dirname "$0")/.."
DEST="${OUT:-benchmarks/results/gpu}"
mkdir -p "$DEST"
PY="${PYTHON:-python3}"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1
status=0
step() {  # step NAME LIMIT_SECONDS COMMAND...: run, log to $DEST/NAME.txt, report
    local name="$1" limit="$2"; shift 2
    local t0=$SECONDS
    timeout "$limit" "$@" > "$DEST/$name.txt" 2>&1
    local rc=$?
    echo "== $name: exit $rc after $((SECONDS - t0)) s (log: $DEST/$name.txt)"
    tail -n 15 "$DEST/$name.txt" | sed 's/^/   /'
    [ "$rc" -eq 0 ] || status=1
}

{
    date -u
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 || true
    "$PY" - <<'EOF'
import importlib, platform, sys
print("python", platform.python_version(), sys.executable)
for mod in ("numpy", "scipy", "cupy", "torch", "pytest", "hypothesis", "dask", "distributed"):
    try:
        m = importlib.import_module(mod)
        print(f"{mod:12s} {getattr(m, '__version__', '?')}")
    except Exception as e:
        print(f"{mod:12s} NOT AVAILABLE: {type(e).__name__}: {e}")
try:
    import cupy
    print("cupy device:", cupy.cuda.runtime.getDeviceProperties(0)["name"],
          "runtime", cupy.cuda.runtime.runtimeGetVersion())
    print("cupy sum on device:", float(cupy.arange(10.0).sum()))
except Exception as e:
    print("cupy not usable:", type(e).__name__, e)
EOF
} > "$DEST/env.txt" 2>&1
cat "$DEST/env.txt"

step gpu_mlp 180 "$PY" benchmarks/gpu_mlp.py --out "$DEST"

cp docs/backends.md "$DEST/backends.md"
step backends_doc 90 env HODIFF_CUPY=1 "$PY" tests/backend_support.py --write --doc "$DEST/backends.md"
# The registry test also checks the docs are current: give it the list just generated.
cp "$DEST/backends.md" docs/backends.md

step registry_cupy 240 env HODIFF_CUPY=1 "$PY" -m pytest -q -p no:cacheprovider -rs \
    tests/test_backends.py -k "cupy" --durations=10

echo "== done: results in $DEST (status $status)"
exit $status
