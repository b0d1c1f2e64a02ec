"""Parsing of global query-string values: valid values pass, anything else is a BadValue with a reason."""

import pytest

from dashboard.settings import (
    MAX_SEED,
    BadValue,
    max_threads,
    parse_device,
    parse_dtype,
    parse_flag,
    parse_lang,
    parse_seed,
    parse_threads,
)


def test_valid_values_are_read():
    assert parse_lang("ES") == "es"
    assert parse_device("cpu") == "cpu"
    assert parse_dtype("bfloat16") == "bfloat16"
    assert parse_seed("7") == 7 and parse_seed(str(MAX_SEED)) == MAX_SEED
    assert parse_threads("1") == 1
    assert parse_flag("1") is True and parse_flag("0") is False


@pytest.mark.parametrize(
    ("parse", "raw", "code"),
    [
        (parse_lang, "fr", "invalid"),
        (parse_lang, "", "invalid"),
        (parse_device, "tpu", "invalid"),
        (parse_device, "../../etc", "invalid"),
        (parse_dtype, "int64", "invalid"),
        (parse_seed, "-1", "out_of_range"),
        (parse_seed, str(MAX_SEED + 1), "out_of_range"),
        (parse_seed, "1e3", "invalid"),
        (parse_seed, "٣", "invalid"),
        (parse_seed, "9" * 400, "invalid"),
        (parse_seed, "--5", "invalid"),
        (parse_seed, "+-1", "invalid"),
        (parse_seed, "1_000", "invalid"),
        (parse_seed, " ", "invalid"),
        (parse_threads, "0", "out_of_range"),
        (parse_threads, str(max_threads() + 1), "threads_capped"),
        (parse_threads, "64", "threads_capped") if max_threads() < 64 else (parse_threads, "-1", "out_of_range"),
        (parse_flag, "yes", "invalid"),
    ],
)
def test_bad_values_are_refused_with_a_reason(parse, raw, code):
    with pytest.raises(BadValue) as caught:
        parse(raw)
    assert caught.value.code == code


def test_an_unavailable_device_has_its_own_reason():
    import torch

    if torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    with pytest.raises(BadValue) as caught:
        parse_device("cuda")
    assert caught.value.code == "device_unavailable"


def test_threads_are_capped_at_the_cores_one_worker_has():
    from core.workers import plan_pool
    from dashboard.settings import DEFAULT_THREADS, default_threads

    cores = len(plan_pool().worker_cores[0])
    assert max_threads() == cores and parse_threads(str(cores)) == cores
    assert 1 <= default_threads() <= cores and DEFAULT_THREADS <= cores
