"""The training page's core: it learns, it is a pure function of its settings, and it agrees with PyTorch."""

from __future__ import annotations

import dataclasses
import json
from itertools import pairwise

import pytest
import torch

from core.cli import main
from core.settings import Settings
from core.train.datasets import DATASETS, make_dataset
from core.train.loop import EVAL_EVERY, TrainConfig, Trainer, train_chunk
from core.train.phases import PHASES, phase_walk
from core.train.pitfalls import dropout_pitfall, no_grad_pitfall, zero_grad_pitfall
from core.train.reproduce import script
from tests.reproduce.test_reproduce_core import run_script

CIRCLE_STEPS = 300  # the bound within which the circle must be learnt


def test_the_circle_is_learnt_within_a_bounded_number_of_steps():
    result = train_chunk(TrainConfig(seed=0), None, CIRCLE_STEPS)
    assert result.final.test_accuracy >= 0.95
    assert result.evals[-1].test_loss < result.evals[0].test_loss / 3


@pytest.mark.parametrize("name", DATASETS)
def test_datasets_come_from_the_seed_alone(name):
    a, b, c = make_dataset(name, 100, 10, 30, 1), make_dataset(name, 100, 10, 30, 1), make_dataset(name, 100, 10, 30, 2)
    assert torch.equal(a.x_train, b.x_train) and torch.equal(a.y_test, b.y_test)
    assert not torch.equal(a.x_train, c.x_train)
    assert len(a.x_test) == 30 and len(a.x_train) == 70


@pytest.mark.parametrize("model", ["mlp", "dynamic", "program"])
def test_chunks_continue_exactly_as_one_long_run(model):
    config = TrainConfig(model=model, depth=3)
    whole = train_chunk(config, None, 45)
    first = train_chunk(config, None, 17)
    second = train_chunk(config, first.state, 28)
    assert first.losses + second.losses == whole.losses and first.nodes + second.nodes == whole.nodes
    assert first.evals + second.evals == whole.evals and second.final == whole.final and second.view == whole.view
    assert [e.step for e in whole.evals] == list(range(0, 45, EVAL_EVERY))
    assert train_chunk(config, None, 45).losses == whole.losses  # the same run twice


def test_the_dynamic_model_builds_a_different_graph_per_batch():
    result = train_chunk(TrainConfig(model="dynamic", depth=3), None, 30)
    assert set(result.depths) == {1, 2, 3}
    # each extra layer the batch went through adds its nodes (linear: addmm, t, 2 AccumulateGrad; activation)
    by_depth = {depth: nodes for depth, nodes in zip(result.depths, result.nodes, strict=True)}
    assert by_depth[1] < by_depth[2] < by_depth[3] and by_depth[3] - by_depth[2] == by_depth[2] - by_depth[1]


def test_the_node_count_is_the_graph_pytorch_recorded():
    trainer = Trainer(TrainConfig(depth=1))
    x, y = trainer.batch(1)
    loss = trainer.loss_fn(trainer.model(x), y)
    names = set()
    stack = [loss.grad_fn]
    while stack:
        node = stack.pop()
        if node is not None and node.name() not in names:
            names.add(node.name())
            stack += [n for n, _ in node.next_functions]
    # BCE, 2 addmm, 2 TBackward, tanh, 4 AccumulateGrad: 10 distinct nodes
    assert train_chunk(TrainConfig(depth=1), None, 1).nodes == (10,)
    assert {"BinaryCrossEntropyWithLogitsBackward0", "TanhBackward0", "AddmmBackward0"} <= names


def test_without_zero_grad_the_gradient_norm_grows_as_pytorch_computes_it():
    config = TrainConfig(optimizer="sgd", lr=0.1)
    run = zero_grad_pitfall(config, steps=20)
    trainer = Trainer(config)  # the same model and batches, the loop written out with plain PyTorch
    model, expected = trainer.model, []
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for step in range(1, 21):
        x, y = trainer.batch(step)
        torch.nn.functional.binary_cross_entropy_with_logits(model(x), y).backward()  # no zero_grad: accumulates
        optimizer.step()
        expected.append(torch.cat([p.grad.reshape(-1) for p in model.parameters()]).norm().item())
    assert run.forgot_grad_norms == pytest.approx(expected, rel=1e-5)
    assert run.forgot_grad_norms[-1] > 5 * run.forgot_grad_norms[0]
    assert max(run.grad_norms) < run.forgot_grad_norms[-1]


def test_the_phases_change_what_the_loop_says_they_change():
    first = train_chunk(TrainConfig(), None, 3)
    walk = phase_walk(TrainConfig(), first.state)
    changes = dict(zip(PHASES, walk.changes, strict=True))
    assert walk.step == 4 and all(g is not None for g in walk.before)
    assert all(g is None for g in changes["zero_grad"].grads) and changes["forward"].nodes is not None
    assert all(g is not None and g > 0 for g in changes["backward"].grads)
    assert all(m == 0 for phase in PHASES[:4] for m in changes[phase].moved) and max(changes["step"].moved) > 0
    assert changes["loss"].loss == train_chunk(TrainConfig(), first.state, 1).losses[0]


def test_evaluating_with_grad_tracking_keeps_memory_and_no_grad_keeps_none():
    memory = no_grad_pitfall(TrainConfig(), None)
    assert memory.modes == ("grad", "no_grad", "inference_mode")
    assert memory.extra_bytes[0] > 0 and memory.extra_bytes[1:] == (0, 0)
    assert memory.requires_grad == (True, False, False)


def test_dropout_in_training_mode_gives_a_different_loss_each_evaluation():
    result = dropout_pitfall(TrainConfig())
    assert result.train_mode_losses[0] != result.train_mode_losses[1]
    assert result.eval_mode_losses[0] == result.eval_mode_losses[1]


def test_the_cli_reports_the_pages_run(capsys):
    assert main(["train", "--steps", "40", "--dataset", "gaussians", "--seed", "3"]) == 0
    report = json.loads(capsys.readouterr().out)
    config = dataclasses.replace(TrainConfig(dataset="gaussians"), seed=3)
    assert report["page"] == "train" and report["losses"] == list(train_chunk(config, None, 40).losses)
    assert report["settings"]["dataset"] == "gaussians" and report["final"]["step"] == 40


@pytest.mark.parametrize("config", [TrainConfig(), TrainConfig(model="dynamic", depth=3), TrainConfig(model="program")])
def test_the_reproduce_script_reaches_the_same_loss(config, tmp_path):
    printed = run_script(script(config, Settings(threads=1), 60), tmp_path)
    final = train_chunk(config, None, 60).final
    assert f"step 60: test loss {final.test_loss:.6f}" in printed
    assert f"test accuracy {final.test_accuracy:.4f}" in printed


def test_merged_chunks_are_the_long_run_and_the_epoch_length_is_known_without_training():
    from core.train.loop import merge, steps_per_epoch

    config = TrainConfig(batch=50)
    first = train_chunk(config, None, 7)
    merged = merge(first, train_chunk(config, first.state, 13))
    whole = train_chunk(config, None, 20)
    assert (merged.start, merged.losses, merged.evals, merged.final) == (0, whole.losses, whole.evals, whole.final)
    assert steps_per_epoch(config) == whole.steps_per_epoch == 6  # 280 training points, batches of 50


DIVERGING = TrainConfig(dataset="sine", optimizer="sgd", lr=1.0)  # SGD with momentum overshoots at lr 1


def test_a_run_too_fast_for_its_optimizer_is_found_diverged_and_a_smaller_rate_is_offered():
    import math

    from core.train.divergence import divergence

    run = train_chunk(DIVERGING, None, 60)
    step = next(i + 1 for i, loss in enumerate(run.losses) if not math.isfinite(loss))
    assert run.diverged == step  # the first step whose loss PyTorch gave as inf or NaN
    found = divergence(run, DIVERGING)
    assert found.step == step and found.peak_loss > 10 * found.first_loss  # the loss grew before it overflowed
    assert found.suggested_lr == 0.1
    calmer = train_chunk(dataclasses.replace(DIVERGING, lr=found.suggested_lr), None, 60)
    assert calmer.diverged is None and divergence(calmer, DIVERGING) is None


def test_a_divergence_is_kept_across_chunks_and_found_in_the_weights_too():
    from core.train.loop import merge

    whole = train_chunk(DIVERGING, None, 60)
    first = train_chunk(DIVERGING, None, 10)
    second = train_chunk(DIVERGING, first.state, 50)
    assert first.diverged is None and merge(first, second).diverged == whole.diverged
    later = train_chunk(DIVERGING, whole.state, 5)  # from NaN weights: diverged at its first step
    assert later.diverged == whole.end + 1
    trainer = Trainer(DIVERGING, whole.state)
    assert not trainer.parameters_finite()


def test_growth_is_a_ratio_of_finite_numbers_and_the_suggested_rate_stays_in_range():
    from core.train.divergence import growth, suggested_lr
    from core.train.loop import MIN_LR

    assert growth([2.0, 4.0, float("inf"), float("nan")]).ratio == 2.0
    assert growth([2.0, 4.0, float("inf")]).broke_at == 2
    assert growth([float("nan")]).ratio == 0.0 and growth([1.0, 3.0]).broke_at is None
    assert suggested_lr(1.0) == 0.1 and suggested_lr(0.03) == 0.003 and suggested_lr(0.0005) == MIN_LR
    assert suggested_lr(MIN_LR) is None


def test_the_cli_reports_a_divergence_as_strict_json(capsys):
    assert main(["train", "--steps", "30", "--dataset", "sine", "--optimizer", "sgd", "--lr", "1"]) == 0
    text = capsys.readouterr().out
    report = json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    assert report["diverged_at"] == train_chunk(DIVERGING, None, 30).diverged
    assert report["losses"][report["diverged_at"] - 1] is None and report["final"]["test_loss"] is None


def _updates(config: TrainConfig, steps: int = 60) -> tuple[list[float], list[float], list[float]]:
    """Per step of Trainer's own loop: the update's norm, its cosine with this batch's fresh gradient (taken apart,
    .grad untouched), and the batch loss."""
    trainer = Trainer(config)
    parameters = list(trainer.model.parameters())
    norms, cosines, losses = [], [], []
    for _ in range(steps):
        x, y = trainer.batch(trainer.step + 1)  # the batch train_step is about to use
        gradient = torch.autograd.grad(trainer.loss_fn(trainer.model(x), y), parameters)
        fresh = torch.cat([g.reshape(-1) for g in gradient])
        before = torch.cat([p.detach().reshape(-1) for p in parameters])
        loss, _ = trainer.train_step()
        update = torch.cat([p.detach().reshape(-1) for p in parameters]) - before
        norms.append(float(update.norm()))
        cosines.append(float(torch.nn.functional.cosine_similarity(-update, fresh, dim=0)))
        losses.append(float(loss))
    return norms, cosines, losses


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def test_without_zero_grad_sgds_updates_grow_step_after_step():
    """What train.pitfall.zero_grad.intro_sgd says: SGD moves by lr times the pile, each update larger."""
    fixed, _, _ = _updates(TrainConfig(optimizer="sgd"))
    forgot, _, _ = _updates(TrainConfig(optimizer="sgd", zero_grad=False))
    assert forgot[-1] > 100 * forgot[0] and forgot[-1] > 50 * max(fixed)
    windows = [_mean(forgot[start : start + 20]) for start in (0, 20, 40)]
    assert windows[2] > 2 * windows[1] > 4 * windows[0]
    assert sum(later > earlier for earlier, later in pairwise(forgot)) >= 0.75 * (len(forgot) - 1)


def test_without_zero_grad_adams_updates_stay_as_large_but_turn_away_from_the_gradient():
    """What train.pitfall.zero_grad.intro_adam says: the size stays, the direction is the stale pile's."""
    fixed, fixed_cosines, fixed_losses = _updates(TrainConfig(optimizer="adam"))
    forgot, cosines, losses = _updates(TrainConfig(optimizer="adam", zero_grad=False))
    assert max(forgot) < 3 * min(forgot) and forgot[-1] < 2 * forgot[0]  # no growth like SGD's
    assert _mean(fixed_cosines[30:]) > 0.25 > 0.15 > _mean(cosines[30:])  # with zero_grad it follows the gradient
    assert _mean(losses[-10:]) > 1.5 * _mean(fixed_losses[-10:])  # it drifts instead of learning


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_backward_and_step_leave_the_layers_a_dynamic_batch_skipped_alone(optimizer):
    """What train.phase.explain.backward and .step say: a skipped layer keeps .grad None and is not moved."""
    config = TrainConfig(model="dynamic", depth=3, optimizer=optimizer)
    for steps in (1, 2):  # after one step every layer has optimizer state; these batches skip layers
        walk = phase_walk(config, train_chunk(config, None, steps).state)
        changes = dict(zip(PHASES, walk.changes, strict=True))
        skipped = [name for name, grad in zip(walk.layers, changes["backward"].grads, strict=True) if grad is None]
        assert skipped and all(name.startswith("hidden.") for name in skipped), skipped
        for name, grad, moved in zip(walk.layers, changes["backward"].grads, changes["step"].moved, strict=True):
            assert (moved == 0) if grad is None else (moved > 0), name
