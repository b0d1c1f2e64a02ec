#!/usr/bin/env bash
# One prepared run on a GPU machine that has torch but no streamlit or plotly: core's tests (the CUDA-marked ones
# included) and the headless CLI on CUDA. Output goes to $OUT (or ./artifacts/gpu). pytest comes from .gpu_wheels
# when the machine lacks it: `pip download -d .gpu_wheels pytest` beforehand, since the GPU machine is offline.
set -u
OUT=${OUT:-artifacts/gpu}
mkdir -p "$OUT"
PY=${PYTHON:-python3}
{
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
  $PY -c "import torch, sys; print('python', sys.version.split()[0], 'torch', torch.__version__, 'cuda', torch.version.cuda, torch.cuda.get_device_name(0))"
} 2>&1
$PY -c "import pytest" 2>/dev/null || $PY -m pip install -q --no-index --find-links .gpu_wheels pytest 2>&1 | tail -2
CORE_TESTS="tests/autograd/test_autograd.py tests/frame/test_cli.py tests/serving/test_devices_limits.py tests/grad_modes/test_grad_modes.py tests/loops/test_loops.py tests/house/test_house.py
  tests/pitfalls/test_pitfalls.py tests/program/test_program.py tests/reproduce/test_reproduce_core.py tests/program/test_tensors.py tests/serving/test_timing.py tests/steps/test_tracing.py
  tests/compiled/test_compiled.py"
# shellcheck disable=SC2086
$PY -m pytest -q -p no:cacheprovider -rs $CORE_TESTS > "$OUT/pytest.txt" 2>&1
echo "pytest rc=$?"; grep -E "^(FAILED|ERROR)|passed|failed" "$OUT/pytest.txt"
$PY -m pytest -q -p no:cacheprovider -m cuda -v $CORE_TESTS > "$OUT/pytest_cuda.txt" 2>&1
echo "cuda tests rc=$?"; grep -E "PASSED|FAILED|ERROR|SKIPPED|^E " "$OUT/pytest_cuda.txt" | head -30
for device in cuda cpu; do
  start=$(date +%s%N)
  $PY -m core loops --device "$device" --sizes 10,100,1000,10000,100000,1000000,10000000 > "$OUT/loops_$device.json"
  echo "loops $device rc=$? $(( ($(date +%s%N) - start) / 1000000 )) ms"
done
$PY -m core grad-modes --device cuda --size 10000000 > "$OUT/grad_modes_cuda.json" 2>&1; echo "grad-modes cuda rc=$?"
$PY -m core grad-modes --device cuda --workload mlp --width 1024 --depth 4 --batch 256 > "$OUT/grad_modes_mlp_cuda.json" 2>&1
echo "grad-modes mlp cuda rc=$?"
$PY -m core pitfalls --device cuda --case sync_timing > "$OUT/sync_timing_cuda.json" 2>&1; echo "sync timing rc=$?"
# Inductor on CUDA generates Triton kernels: the compile cost and break-even on the GPU (10^6 elements)
$PY -m core compiled --device cuda --n 1000000 --cost > "$OUT/compiled_cuda.json" 2>&1; echo "compiled cuda rc=$?"
$PY - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
for device in ("cuda", "cpu"):
    try:
        report = json.load(open(f"{out}/loops_{device}.json"))
    except Exception as exc:  # noqa: BLE001 - a summary of whatever came back
        print(device, "no report:", exc)
        continue
    print(device, report["device_name"], "threads", report["threads"], "agrees", report["agreement"]["agrees"])
    for p in report["points"]:
        if p["implementation"] == "vectorized":
            print(f"  n={p['n']:>9} vectorized {p['median_s'] * 1e6:10.1f} us  measured={p['measured']}")
    print("  speedup vs lesson loop", {n: round(s, 1) for n, s in report["speedup_vs_lesson_loop"].items() if s})
    for b in report["bandwidth"]:
        print(f"  n={b['n']:>9} {b['vectorized_Bps'] / 1e9:8.2f} GB/s (clone {b['copy_Bps'] / 1e9:8.2f} GB/s)")
for name in ("grad_modes_cuda", "grad_modes_mlp_cuda", "sync_timing_cuda"):
    try:
        report = json.load(open(f"{out}/{name}.json"))
    except Exception as exc:  # noqa: BLE001
        print(name, "no report:", exc)
        continue
    for m in report.get("modes", []):
        print(name, m["mode"], f"{m['median_s'] * 1e3:.3f} ms", "extra saved", m["saved_bytes_extra"],
              "peak extra", m["peak_extra_bytes"])
    if "sync_timing" in report:
        print(name, report["sync_timing"])
PY
