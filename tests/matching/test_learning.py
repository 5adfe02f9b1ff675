"""Learning the component weights: a fixture whose right weights are known (labels drawn from a
logistic model where tags weigh six times text), few labels, one class, determinism, metrics."""
from __future__ import annotations

import math

import numpy as np
import pytest

from matching import Weights
from matching.learning import Example, auc, cross_validate, fit_weights, pairwise_accuracy, score_of

TRUE = {"text": 1.0, "tags": 6.0, "geo": 2.0, "period": 0.5}


def synthetic(n: int, seed: int, true: dict[str, float] = TRUE, bias: float = -4.0) -> list[Example]:
    """Examples whose labels follow P(relevant) = sigmoid(bias + sum true_k * c_k), 20 per query."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        comps = {k: float(rng.random()) for k in true}
        z = bias + sum(true[k] * comps[k] for k in true)
        label = int(rng.random() < 1 / (1 + math.exp(-z)))
        out.append(Example(comps, label, group=f"q{i // 20}"))
    return out


def test_the_fit_recovers_the_known_weights_and_ranks_held_out_examples_better():
    train, held_out = synthetic(3000, seed=1), synthetic(1000, seed=2)
    fit = fit_weights(train, Weights(), l2=1.0)
    w = fit.weights
    assert not fit.used_defaults and fit.components == ("text", "tags", "geo", "period")
    assert w.tags > w.geo > w.text and w.tags > w.period
    assert w.tags / w.text == pytest.approx(TRUE["tags"] / TRUE["text"], rel=0.35)
    assert w.tags / w.geo == pytest.approx(TRUE["tags"] / TRUE["geo"], rel=0.35)
    # Scaled like the defaults: the same sum over the fitted components; the rest copied.
    d = Weights()
    assert w.text + w.tags + w.geo + w.period == pytest.approx(d.text + d.tags + d.geo + d.period, abs=1e-3)
    assert (w.fuzzy, w.support, w.setting, w.weak_factor) == (d.fuzzy, d.support, d.setting, d.weak_factor)
    labels = [e.label for e in held_out]
    fitted_auc = auc([score_of(e.components, w) for e in held_out], labels)
    default_auc = auc([score_of(e.components, d) for e in held_out], labels)
    assert fitted_auc > default_auc + 0.02
    assert pairwise_accuracy(held_out, w) > pairwise_accuracy(held_out, d)


def test_few_labels_keep_the_defaults():
    fit = fit_weights(synthetic(10, seed=3), Weights(), min_labels=20)
    assert fit.used_defaults and fit.weights == Weights() and "fewer than 20" in fit.reason


def test_one_class_keeps_the_defaults():
    examples = [Example({"text": i / 40, "tags": 1 - i / 40}, 1) for i in range(40)]
    fit = fit_weights(examples, Weights())
    assert fit.used_defaults and fit.weights == Weights() and "one kind" in fit.reason


def test_a_strong_pull_keeps_the_defaults_shape_and_a_weak_one_follows_the_labels():
    examples = synthetic(200, seed=4)
    d = Weights()
    strong = fit_weights(examples, d, l2=1e4).weights
    weak = fit_weights(examples, d, l2=0.01).weights
    assert strong.tags / strong.text == pytest.approx(d.tags / d.text, rel=0.05)
    assert weak.tags / weak.text > 3 * (d.tags / d.text)


def test_weights_stay_non_negative_when_a_component_counts_against_relevance():
    fit = fit_weights(synthetic(2000, seed=5, true={"text": -3.0, "tags": 5.0}, bias=-1.0), Weights(), l2=0.1)
    assert fit.weights.text >= 0 and fit.weights.text < 0.05 * fit.weights.tags


def test_the_fit_is_deterministic():
    examples = synthetic(500, seed=6)
    assert fit_weights(examples, Weights()) == fit_weights(list(examples), Weights())


def test_auc_and_pairwise_accuracy():
    assert auc([0.9, 0.8, 0.1], [1, 0, 0]) == 1.0
    assert auc([0.5, 0.5], [1, 0]) == 0.5
    assert auc([0.2, 0.3], [1, 1]) is None
    w = Weights(text=1.0, tags=0.0)
    examples = [Example({"text": 0.9}, 1, "a"), Example({"text": 0.1}, 0, "a"),
                Example({"text": 0.2}, 1, "b"), Example({"text": 0.8}, 0, "b"), Example({"text": 0.5}, 1, "c")]
    assert pairwise_accuracy(examples, w) == 0.5  # a right, b wrong, c has no pair
    assert score_of({"text": 0.5, "tags": float("nan")}, Weights(text=1, tags=3)) == 0.5


def test_cross_validation_measures_on_examples_left_out():
    figures = cross_validate(synthetic(1000, seed=7), Weights(), folds=5, l2=1.0)
    assert figures["auc_fitted"] > figures["auc_defaults"]
    assert figures["pairwise_fitted"] > figures["pairwise_defaults"]


def test_need_pair_weights_are_fitted_the_same_way():
    from matching import NeedWeights

    true = {"text": 1.0, "fuzzy": 0.5, "law": 5.0}
    examples = synthetic(2000, seed=8, true=true, bias=-3.0)
    fit = fit_weights(examples, NeedWeights(), l2=1.0)
    d = NeedWeights()
    assert not fit.used_defaults and isinstance(fit.weights, NeedWeights)
    assert fit.weights.law > fit.weights.text > fit.weights.fuzzy
    assert fit.weights.law / fit.weights.text == pytest.approx(5.0, rel=0.35)
    assert (fit.weights.relief, fit.weights.block_top_k) == (d.relief, d.block_top_k)
    held_out = synthetic(800, seed=9, true=true, bias=-3.0)
    labels = [e.label for e in held_out]
    assert auc([score_of(e.components, fit.weights) for e in held_out], labels) > \
        auc([score_of(e.components, d) for e in held_out], labels)
