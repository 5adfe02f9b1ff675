"""Labels for the need-pair weights (`NeedWeights`) from proposal packages: what the secretariat
merged and what it kept apart, for `flask matcher learn` to report on.

- **merged**: two needs in one proposal package are relevant to each other (label 1);
- **kept apart**: a stored similar pair (`NeedPair`, which the package form proposes) whose needs
  are both in packages but in no package together (label 0): the secretariat saw them side by side
  and decided. A similar pair with a need not yet packaged is left out: no decision yet.

The fit is reported, not applied: the stored similar pairs are scored with the library's
`NeedWeights` when a need changes, so other weights would need every pair recomputed first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from sqlalchemy import select

from app.core import analyses
from matching import NeedIndex, NeedWeights
from matching.learning import NEED_COMPONENTS, Example, Fit, compare, comparison_lines, fit_weights
from models import MatchAnalysis, NeedPair, RegulatoryNeed, db
from models.needs import package_needs

from .similarity_queries import FULL, full_candidate

MERGED, KEPT_APART = "merged", "kept apart"


def pair_labels() -> list[tuple[int, int, int]]:
    """(need a, need b, 1 merged / 0 kept apart), a < b, in a fixed order."""
    packages: dict[int, set[int]] = {}
    for package_id, need_id in db.session.execute(select(package_needs.c.package_id, package_needs.c.need_id)):
        packages.setdefault(package_id, set()).add(need_id)
    merged = {pair for members in packages.values() for pair in combinations(sorted(members), 2)}
    packaged = set().union(*packages.values()) if packages else set()
    apart = {(a, b) for a, b in db.session.execute(select(NeedPair.need_a_id, NeedPair.need_b_id))
             if a in packaged and b in packaged and (min(a, b), max(a, b)) not in merged}
    return sorted([(a, b, 1) for a, b in merged] + [(min(a, b), max(a, b), 0) for a, b in apart])


def pair_examples(labels: list[tuple[int, int, int]]) -> tuple[list[Example], int]:
    """The labels as examples with the library's pair components (the needs' stored full analyses,
    as the package form compares them); pairs whose need has no stored analysis are left out."""
    ids = sorted({n for a, b, _ in labels for n in (a, b)})
    if not ids:
        return [], 0
    stored = dict(db.session.execute(select(MatchAnalysis.item_id, MatchAnalysis.analysis).where(
        MatchAnalysis.kind == FULL, MatchAnalysis.item_id.in_(ids))).all())
    needs = [n for n in db.session.scalars(select(RegulatoryNeed).where(RegulatoryNeed.id.in_(ids))
                                          .order_by(RegulatoryNeed.id)) if n.id in stored]
    index = NeedIndex.build([full_candidate(n) for n in needs], analyzer=analyses.analyzer(),
                            analyses=[stored[n.id] for n in needs]) if len(needs) >= 2 else None
    present = {n.id for n in needs}
    examples = [Example(dict(index.pair(str(a), str(b)).reasons.components), label, f"need:{a}")
                for a, b, label in labels if index is not None and a in present and b in present]
    return examples, len(labels) - len(examples)


@dataclass
class NeedReport:
    merged: int
    kept_apart: int
    left_out: int
    fit: Fit
    defaults: NeedWeights
    figures: dict[str, float | None] = field(default_factory=dict)


def learn_need_weights(*, min_labels: int = 20, l2: float = 2.0) -> NeedReport:
    """Fit NeedWeights to the packages' labels and measure defaults vs fitted on them (reported only)."""
    labels = pair_labels()
    examples, left_out = pair_examples(labels)
    defaults = NeedWeights()
    fit = fit_weights(examples, defaults, l2=l2, min_labels=min_labels)
    figures = compare(examples, defaults, fit.weights)
    merged = sum(1 for *_, label in labels if label)
    return NeedReport(merged, len(labels) - merged, left_out, fit, defaults, figures)


def report_lines(report: NeedReport) -> list[str]:
    """The need-pair part of `flask matcher learn`'s report."""
    fit = report.fit
    out = ["Need pairs (proposal packages):",
           f"  {MERGED:<14}{report.merged:>5}", f"  {KEPT_APART:<14}{report.kept_apart:>5}",
           f"  ({report.left_out} left out: a need without a stored analysis)"]
    if fit.used_defaults:
        out.append(f"Not fitted: {fit.reason}. The library's default need weights are kept.")
    out.append(f"  {'weight':<10}{'default':>9}{'fitted':>9}")
    for k in NEED_COMPONENTS:
        out.append(f"  {k:<10}{getattr(report.defaults, k):9.3f}{getattr(fit.weights, k):9.3f}")
    out.append("On these labels (fitted on them: optimistic):")
    out += comparison_lines(report.figures)
    out.append("Reported only: similar needs are still scored with the default need weights.")
    return out
