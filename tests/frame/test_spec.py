"""Parameters declared once: each kind reads valid text and refuses anything else with a reason; the page's notice
and the CLI's option error give the same sentence; no two specs declare one name; docs/parameters.md is generated."""

from __future__ import annotations

import importlib

import pytest

from core.cli import build_parser, main, page_spec
from core.shared_spec import PROGRAM, SETTINGS, worker_threads
from core.spec import Refusal
from dashboard.messages import notice_message
from dashboard.refusals import refusal_text
from dashboard.registry import PAGES

PARSE = {name: SETTINGS.named(name).parse for name in ("lang", "device", "dtype", "seed", "threads", "presenter")}
MAX_SEED = SETTINGS.named("seed").kind.high


def test_valid_values_are_read():
    assert PARSE["lang"]("ES") == "es"
    assert PARSE["device"]("cpu") == "cpu"
    assert PARSE["dtype"]("bfloat16") == "bfloat16"
    assert PARSE["seed"]("7") == 7 and PARSE["seed"](str(MAX_SEED)) == MAX_SEED
    assert PARSE["threads"]("1") == 1
    assert PARSE["presenter"]("1") is True and PARSE["presenter"]("0") is False


@pytest.mark.parametrize(
    ("name", "raw", "code"),
    [
        ("lang", "fr", "invalid"),
        ("lang", "", "invalid"),
        ("device", "tpu", "invalid"),
        ("device", "../../etc", "invalid"),
        ("dtype", "int64", "invalid"),
        ("seed", "-1", "out_of_range"),
        ("seed", str(MAX_SEED + 1), "out_of_range"),
        ("seed", "1e3", "invalid"),
        ("seed", "٣", "invalid"),
        ("seed", "9" * 400, "invalid"),
        ("seed", "--5", "invalid"),
        ("seed", "+-1", "invalid"),
        ("seed", "1_000", "invalid"),
        ("seed", " ", "invalid"),
        ("threads", "0", "out_of_range"),
        ("threads", str(worker_threads() + 1), "threads_capped"),
        ("threads", "64", "threads_capped") if worker_threads() < 64 else ("threads", "-1", "out_of_range"),
        ("presenter", "yes", "invalid"),
    ],
)
def test_bad_values_are_refused_with_a_reason(name, raw, code):
    with pytest.raises(Refusal) as caught:
        PARSE[name](raw)
    assert caught.value.code == code


def test_an_unavailable_device_has_its_own_reason():
    import torch

    if torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    with pytest.raises(Refusal) as caught:
        PARSE["device"]("cuda")
    assert caught.value.code == "device_unavailable"


def test_threads_are_capped_at_the_cores_one_worker_has():
    from core.workers import plan_pool

    cores = len(plan_pool().worker_cores[0])
    threads = SETTINGS.named("threads")
    assert threads.kind.high == cores and threads.parse(str(cores)) == cores
    assert 1 <= threads.default <= cores


def _all_specs():
    return [SETTINGS, PROGRAM, *(page_spec(page.name) for page in PAGES)]


def test_no_two_specs_declare_the_same_name():
    names = [p.name for spec in _all_specs() for p in spec.params]
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_every_default_is_a_value_its_own_kind_reads_back():
    for spec in _all_specs():
        for param in spec.params:
            if param.default in ("",):  # autograd's output: "" means the last statement's, never written as such
                continue
            assert param.parse(param.to_text(param.default)) == param.default, (spec.name, param.name)


# (page command, option, a value the page refuses): one per kind, and the CLI-only budget's neighbours
REFUSED = [
    ("loops", "budget", "5"),
    ("loops", "budget", "nan"),
    ("loops", "sizes", "0,10"),
    ("loops", "prof_n", "0"),
    ("loops", "profile", "2"),
    ("grad-modes", "width", "99999"),
    ("grad-modes", "fixes", "nope"),
    ("autograd", "grad", "x,q"),
    ("autograd", "reduce", "max"),
    ("compiled", "backends", "eager,tpu"),
    ("pitfalls", "case", "nope"),
    ("train", "lr", "9"),
    ("train", "act", "gelu"),
    ("steps", "scale", "1e9"),
    ("steps", "step", "-1"),
    ("home", "seed", "99999999999999999999999"),
    ("home", "threads", "0"),
    ("home", "n", "0"),
]


@pytest.mark.parametrize(("command", "name", "raw"), REFUSED)
def test_a_value_the_page_refuses_the_cli_refuses_with_the_same_sentence(capsys, command, name, raw):
    page = next(p for p in PAGES if p.command == command)
    spec = next(s for s in _all_specs()[:2] + [page_spec(page.name)] if name in [p.name for p in s.params])
    param = spec.named(name)
    with pytest.raises(Refusal) as caught:
        param.parse(raw)
    sentence = refusal_text("en", name, raw, caught.value.code, param.kind)
    with pytest.raises(SystemExit) as usage:
        main([command, param.option, raw])
    assert usage.value.code == 2
    assert f": {sentence}" in capsys.readouterr().err.splitlines()[-1]
    # the page's notice carries the same sentence (the value shown as inert code there)
    notice = notice_message("en", name, raw, caught.value.code, param.to_text(param.default), param.kind)
    assert refusal_text("en", name, f"`{raw}`", caught.value.code, param.kind) in notice


def test_every_url_parameter_of_every_page_is_an_option_of_its_sub_command():
    commands = build_parser()._subparsers._group_actions[0].choices
    for page in PAGES:
        options = {o for action in commands[page.command]._actions for o in action.option_strings}
        for param in (*SETTINGS.params, *PROGRAM.params, *page_spec(page.name).params):
            assert param.option in options, (page.command, param.option)


def test_old_option_names_stay_as_aliases():
    args = build_parser().parse_args(["train", "--dataset", "xor", "--width", "4", "--test-percent", "20"])
    assert (args.data, args.units, args.test) == ("xor", 4, 20)


def test_the_spanish_notice_names_the_limits_in_spanish_numbers():
    param = page_spec("loops").named("budget")
    text = notice_message("es", "budget", "5", "out_of_range", "0.5", param.kind)
    assert "de 0,05 a 2" in text and "fuera de rango" in text


def test_the_parameter_docs_are_generated_from_the_specs():
    docs = importlib.import_module("core.docs")
    assert (docs.PARAMETERS_DOC).read_text(encoding="utf-8") == docs.parameters_markdown(), (
        "docs/parameters.md is stale: run `python -m core.docs`"
    )
