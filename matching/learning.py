"""Learning the component weights from the secretariat's decisions: a small logistic model on the
score components, pulled toward the default weights, and the metrics that show whether it helped.

Why this shape: the secretariat makes tens, later a few hundred, decisions a year (introductions
agreed or declined, candidates dismissed as "not relevant"). That is far too few to learn a ranker,
but enough to move seven weights. The model is therefore the ranker's own score (a weighted sum of
the components ``explain`` reports) passed through a logistic link, with a penalty
``l2 * ||w - tau * w_default||^2`` that pulls the weights toward the defaults' *shape* (``tau`` is a
free scale: a logistic model needs larger weights than the 0-1 defaults to express confidence, and
only the ratios matter for ranking). With few labels the penalty wins and the defaults come back;
with many the labels win. Weights stay non-negative: a component that counts against relevance
would be a sign of biased labels, not something to rank by.

The model reads an absent component (NaN, or left out of the dict) as 0; the ranker renormalises
over the components present. For the candidates of one query the same components are nearly
always present, so the two agree where it matters (the order within a query).

Pure numpy and deterministic: no random start, a fixed number of accelerated projected gradient steps.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass, fields, replace
from typing import Iterable, Sequence

import numpy as np

from .needs import NeedWeights
from .scoring import Weights

logger = logging.getLogger(__name__)

__all__ = ["COMPONENTS", "NEED_COMPONENTS", "Example", "Fit", "auc", "compare", "comparison_lines", "cross_validate",
           "fit_weights", "pairwise_accuracy", "score_of"]

# The score components the ranker weighs (the float fields of Weights that name a component).
COMPONENTS = ("text", "fuzzy", "tags", "geo", "period", "support", "setting")
# The components of the need-pair score (NeedWeights): the same fit learns them from needs merged
# into proposal packages.
NEED_COMPONENTS = ("text", "fuzzy", "tags", "law", "relief", "obstacle")
AnyWeights = Weights | NeedWeights


def components_of(weights: AnyWeights) -> tuple[str, ...]:
    """The component names of a Weights (candidates) or NeedWeights (need pairs)."""
    return NEED_COMPONENTS if isinstance(weights, NeedWeights) else COMPONENTS


@dataclass(frozen=True)
class Example:
    """One labelled (query, candidate) pair: the ranker's component scores, 1 relevant / 0 not,
    the query it belongs to (pairs are compared within a query), and how much it counts."""

    components: dict[str, float]
    label: int
    group: str = ""
    weight: float = 1.0


@dataclass(frozen=True)
class Fit:
    """What `fit_weights` found: the weights to rank with, whether they are simply the defaults (and
    why), how many labels of each class it saw, and the fitted logistic model's bias and scale."""

    weights: Weights
    used_defaults: bool
    reason: str = ""
    positives: int = 0
    negatives: int = 0
    components: tuple[str, ...] = ()
    bias: float = 0.0
    iterations: int = 0


def _as_example(e: Example | tuple) -> Example:
    if isinstance(e, Example):
        return e
    return Example(dict(e[0]), int(e[1]), *e[2:])


def _value(components: dict[str, float], name: str) -> float:
    v = components.get(name)
    return 0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def score_of(components: dict[str, float], weights: AnyWeights) -> float:
    """The ranker's score (0-1, before factors) of these components: the weighted mean over the
    components present, as ``Index.rank`` (and ``NeedIndex`` for pairs) computes it."""
    present = [k for k in components_of(weights) if k in components and not math.isnan(float(components[k]))]
    total = sum(getattr(weights, k) for k in present)
    if total <= 0:
        return 0.0
    return sum(getattr(weights, k) * float(components[k]) for k in present) / total


def auc(scores: Sequence[float], labels: Sequence[int]) -> float | None:
    """Area under the ROC curve: the chance that a relevant example scores above an irrelevant one
    (ties count half). None without both classes."""
    s, y = np.asarray(scores, dtype=float), np.asarray(labels, dtype=int)
    pos, neg = s[y == 1], s[y == 0]
    if not pos.size or not neg.size:
        return None
    above = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(above / (pos.size * neg.size))


def pairwise_accuracy(examples: Iterable[Example | tuple], weights: AnyWeights) -> float | None:
    """Within each query (``group``), the share of (relevant, irrelevant) pairs the weights order
    right (ties half): what the secretariat sees, since it compares candidates of one request.
    None when no query has both a relevant and an irrelevant example."""
    return _pairwise_each([(e, weights) for e in map(_as_example, examples)])


def compare(examples: Iterable[Example | tuple], defaults: AnyWeights, fitted: AnyWeights) -> dict[str, float | None]:
    """AUC and pairwise accuracy of two sets of weights on the same examples (the keys
    `cross_validate` gives too): `auc_defaults`, `auc_fitted`, `pairwise_defaults`, `pairwise_fitted`."""
    data = [_as_example(e) for e in examples]
    labels = [e.label for e in data]
    return {
        "auc_defaults": auc([score_of(e.components, defaults) for e in data], labels),
        "auc_fitted": auc([score_of(e.components, fitted) for e in data], labels),
        "pairwise_defaults": pairwise_accuracy(data, defaults),
        "pairwise_fitted": pairwise_accuracy(data, fitted),
    }


def comparison_lines(figures: dict[str, float | None]) -> list[str]:
    """The AUC and pairwise-accuracy lines of a `compare` or `cross_validate` result, as columns
    defaults | fitted ("—" where a figure cannot be computed)."""
    def cell(value: float | None) -> str:
        return "   —  " if value is None else f"{value:6.3f}"

    return [f"  {label:<22}{cell(figures[key + '_defaults']):>9}{cell(figures[key + '_fitted']):>9}"
            for label, key in (("AUC", "auc"), ("pairwise accuracy", "pairwise"))]


def fit_weights(examples: Iterable[Example | tuple], defaults: AnyWeights | None = None, *, l2: float = 2.0,
                min_labels: int = 20, iterations: int = 3000) -> Fit:
    """Fit the component weights to labelled examples ((components, label) tuples or `Example`s).

    Returns the defaults unchanged (``used_defaults=True`` and the reason) with fewer than
    ``min_labels`` examples or only one class. Otherwise the weights of the components seen in the
    examples are fitted and scaled to the same sum as the defaults' over those components; the other
    fields (factors, floors, depth) are copied from the defaults. ``defaults`` may be `NeedWeights`
    (examples: need pairs with `Pair.reasons.components`): the same fit, over the pair components. ``l2`` is the pull toward the
    defaults' shape, against the *summed* log-loss, so its effect shrinks as labels grow.
    """
    defaults = defaults or Weights()
    data = [_as_example(e) for e in examples]
    positives = sum(1 for e in data if e.label)
    negatives = len(data) - positives
    if len(data) < min_labels:
        return Fit(defaults, True, f"{len(data)} label{'' if len(data) == 1 else 's'}, fewer than {min_labels}",
                   positives, negatives)
    if not positives or not negatives:
        return Fit(defaults, True, "only one kind of label (all relevant or all not relevant)", positives, negatives)
    names = tuple(k for k in components_of(defaults) if any(k in e.components for e in data))
    x = np.array([[_value(e.components, k) for k in names] for e in data])
    y = np.array([float(bool(e.label)) for e in data])
    sw = np.array([e.weight for e in data], dtype=float)
    d = np.array([getattr(defaults, k) for k in names], dtype=float)
    w, tau, bias, steps = _solve(x, y, sw, d, l2, iterations)
    total = float(w.sum())
    if total <= 0:  # every weight pushed to zero: the labels carry no signal the components explain
        return Fit(defaults, True, "the labels do not follow any component", positives, negatives, names)
    scaled = w * (d.sum() / total)
    weights = replace(defaults, **{k: round(float(v), 4) for k, v in zip(names, scaled)})
    logger.info("fitted weights on %d labels (scale %.3f): %s", len(data), tau, weights)
    return Fit(weights, False, "", positives, negatives, names, float(bias), steps)


def _solve(x: np.ndarray, y: np.ndarray, sw: np.ndarray, d: np.ndarray, l2: float,
           iterations: int) -> tuple[np.ndarray, float, float, int]:
    """Minimise sum_i sw_i * logloss(b + x_i.w, y_i) + l2 * ||w - tau * d||^2 over w >= 0, tau >= 0
    and b, by accelerated projected gradient descent (FISTA) with a fixed step 1/L."""
    n, m = x.shape
    # Parameters: w (m), tau, b. Lipschitz bound of the gradient: the logistic part's Hessian is at
    # most X~^T diag(sw/4) X~ (X~ = [x, 0, 1]); the penalty's is 2*l2*[[I, -d], [-d^T, d.d]].
    xt = np.hstack([x, np.ones((n, 1))]) * np.sqrt(sw / 4.0)[:, None]
    lip = float(np.linalg.norm(xt, 2) ** 2) + 2.0 * l2 * (1.0 + float(d @ d))
    step = 1.0 / max(lip, 1e-9)
    theta = np.concatenate([d, [1.0], [0.0]])  # start at the defaults' shape
    prev, t = theta.copy(), 1.0
    for _ in range(iterations):
        t_next = (1.0 + math.sqrt(1.0 + 4.0 * t * t)) / 2.0
        z = theta + ((t - 1.0) / t_next) * (theta - prev)
        grad = _gradient(z, x, y, sw, d, l2)
        prev, theta, t = theta, z - step * grad, t_next
        theta[: m + 1] = np.maximum(theta[: m + 1], 0.0)  # w >= 0, tau >= 0
    return theta[:m], float(theta[m]), float(theta[m + 1]), iterations


def _gradient(theta: np.ndarray, x: np.ndarray, y: np.ndarray, sw: np.ndarray, d: np.ndarray,
              l2: float) -> np.ndarray:
    m = x.shape[1]
    w, tau, b = theta[:m], theta[m], theta[m + 1]
    z = np.clip(x @ w + b, -30.0, 30.0)
    r = sw * (1.0 / (1.0 + np.exp(-z)) - y)
    diff = w - tau * d
    g = np.empty_like(theta)
    g[:m] = x.T @ r + 2.0 * l2 * diff
    g[m] = -2.0 * l2 * float(diff @ d)
    g[m + 1] = float(r.sum())
    return g


def cross_validate(examples: Iterable[Example | tuple], defaults: AnyWeights | None = None, *, folds: int = 5,
                   **fit_options) -> dict[str, float | None]:
    """AUC and pairwise accuracy of the defaults and of weights fitted *without* the examples they
    are measured on: the queries (groups) are dealt to ``folds`` folds in sorted order, each fold
    scored with weights fitted on the others. An honest figure next to the fitted-on-all one."""
    defaults = defaults or Weights()
    data = [_as_example(e) for e in examples]
    groups = sorted({e.group for e in data})
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    scored: list[tuple[Example, AnyWeights]] = []
    for k in range(min(folds, len(groups))):
        train = [e for e in data if fold_of[e.group] != k]
        fitted = fit_weights(train, defaults, **fit_options).weights
        scored.extend((e, fitted) for e in data if fold_of[e.group] == k)
    labels = [e.label for e, _ in scored]
    return {
        "auc_defaults": auc([score_of(e.components, defaults) for e, _ in scored], labels),
        "auc_fitted": auc([score_of(e.components, w) for e, w in scored], labels),
        "pairwise_defaults": pairwise_accuracy([e for e, _ in scored], defaults),
        "pairwise_fitted": _pairwise_each(scored),
    }


def _pairwise_each(scored: list[tuple[Example, AnyWeights]]) -> float | None:
    """Pairwise accuracy where each example is scored with its own fold's weights (a group is in
    one fold, so a pair is always compared under one set of weights)."""
    right = total = 0.0
    by_group: dict[str, tuple[list[float], list[float]]] = {}
    for e, w in scored:
        pos, neg = by_group.setdefault(e.group, ([], []))
        (pos if e.label else neg).append(score_of(e.components, w))
    for pos, neg in by_group.values():
        for p in pos:
            for n in neg:
                right += 1.0 if p > n else 0.5 if p == n else 0.0
                total += 1
    return right / total if total else None


def component_weights(weights: AnyWeights) -> dict[str, float]:
    """The component weights of ``weights`` as a dict (what is stored and printed)."""
    return {k: getattr(weights, k) for k in components_of(weights)}


def weights_from(stored: dict[str, float], defaults: Weights | None = None) -> Weights:
    """Weights with the stored component weights, the defaults for everything else (unknown keys,
    e.g. from a later version, are ignored)."""
    known = {f.name for f in fields(Weights)} & set(COMPONENTS)
    return replace(defaults or Weights(), **{k: float(v) for k, v in stored.items() if k in known})
