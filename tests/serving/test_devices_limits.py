"""core.devices and core.limits against what PyTorch and the OS report."""

import pytest
import torch

from core.devices import available_device_names, list_devices, memory_status, synchronize
from core.limits import SAFE_SHARE, SizeLimitError, allowed_bytes, check_fits, tensor_bytes


def test_every_device_kind_is_listed_with_a_reason():
    devices = {d.name: d for d in list_devices()}
    assert set(devices) == {"cpu", "cuda", "mps"}
    assert devices["cpu"].available and devices["cpu"].reason == "ok"
    assert devices["cuda"].available == torch.cuda.is_available()
    if not torch.cuda.is_available():
        expected = "not_built" if not torch.backends.cuda.is_built() else "no_hardware"
        assert devices["cuda"].reason == expected
    assert available_device_names()[0] == "cpu"


def test_cpu_memory_reads_proc_meminfo():
    with open("/proc/meminfo") as fh:
        fields = {line.split(":")[0]: int(line.split()[1]) * 1024 for line in fh}
    status = memory_status("cpu")
    assert status.total == fields["MemTotal"]
    assert 0 < status.available <= status.total
    assert status.peak is None


def test_synchronize_accepts_cpu():
    synchronize("cpu")


def test_tensor_bytes_uses_the_dtype_item_size():
    assert tensor_bytes(1000, torch.float32) == 4000
    assert tensor_bytes(1000, torch.float16, copies=3) == 6000
    assert tensor_bytes(10, torch.float64) == torch.empty(10, dtype=torch.float64).nbytes
    with pytest.raises(ValueError):
        tensor_bytes(-1, torch.float32)


def test_check_fits_refuses_over_the_safe_share_before_allocating():
    available = 1_000_000
    assert allowed_bytes("cpu", available) == int(available * SAFE_SHARE)
    assert check_fits(62_500, torch.float32, "cpu", available=available) == 250_000
    with pytest.raises(SizeLimitError) as caught:
        check_fits(62_501, torch.float32, "cpu", available=available)
    assert (caught.value.requested_bytes, caught.value.allowed_bytes) == (250_004, 250_000)
    assert caught.value.device == "cpu"


def test_a_size_beyond_this_machine_is_refused_with_measured_memory():
    with pytest.raises(SizeLimitError):
        check_fits(10**13, torch.float32, "cpu")


@pytest.mark.cuda
def test_cuda_memory_reports_allocator_figures():
    status = memory_status("cuda")
    assert status.allocated is not None and status.peak is not None
    assert status.available <= status.total
