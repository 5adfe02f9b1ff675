"""Learning the matcher's weights from the secretariat's decisions (`flask matcher learn`).

The labels are (trial request, candidate) pairs with an outcome:

- introductions **agreed** (or whose trial started): relevant, full weight;
- introductions **accepted** by the target (willing to talk, no trial agreed yet): relevant, half weight;
- introductions **declined**: not relevant;
- candidates **dismissed** as "not relevant" on the matcher page: not relevant.

Introductions made and still open (suggested, introduced) are left out: their outcome is unknown,
and they were picked from the top of the current ranking, so counting them as relevant would teach
the model to repeat the weights it already has. Only trial requests count: the learnt weights rank
trial requests (regional challenges keep the defaults). Needs merged into proposal packages are the
labels of the need-pair weights: app/needs/learning.py.

Each label's component scores are computed as the matcher computes them now (the request's query and
area, the candidate from its stored analysis, the whole partner corpus's term counts) by the library's
`explain`; a candidate the matcher's hard filters now drop (outside the circle, not available in the
period) or that no longer exists is counted as left out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from app.core import analyses
from matching import Candidate, Index, Weights
from matching.devsets import ranking_metrics, read_dev_set
from matching.learning import COMPONENTS, Example, Fit, compare, comparison_lines, cross_validate, fit_weights
from models import (
    Introduction,
    IntroductionStatus,
    MatchDismissal,
    MatchSuggestion,
    Organisation,
    TrialRequest,
    TrialSite,
    db,
)

from . import candidates as c
from .matcher_services import candidate_index
from .weights import store_weights, stored_weights

AGREED, ACCEPTED, DECLINED, DISMISSED = "agreed", "accepted", "declined", "not relevant"
LABEL_KINDS = (AGREED, ACCEPTED, DECLINED, DISMISSED)
# Outcome -> (label kind, relevant?, weight). Statuses not listed (suggested, introduced) are left out.
OUTCOMES = {
    IntroductionStatus.AGREED: (AGREED, 1, 1.0),
    IntroductionStatus.TRIAL_STARTED: (AGREED, 1, 1.0),
    IntroductionStatus.ACCEPTED: (ACCEPTED, 1, 0.5),
    IntroductionStatus.DECLINED: (DECLINED, 0, 1.0),
}


@dataclass(frozen=True)
class Label:
    """One decision: which request, which candidate ("site:3", "org:7"), what kind of decision."""

    trial_request_id: int
    candidate: str
    kind: str
    label: int
    weight: float = 1.0


def collect_labels() -> list[Label]:
    """Every labelled (trial request, candidate) pair, in a fixed order. A pair both introduced and
    dismissed keeps the introduction's outcome (the later, stronger decision)."""
    found: dict[tuple[int, str], Label] = {}
    for d in db.session.scalars(select(MatchDismissal).order_by(MatchDismissal.id)):
        cid = c.candidate_id(d.candidate_kind, d.candidate_id)
        found[(d.trial_request_id, cid)] = Label(d.trial_request_id, cid, DISMISSED, 0)
    # The suggestion an introduction came from says whether it was a site (the site may be gone since).
    rows = db.session.execute(
        select(Introduction, MatchSuggestion.kind)
        .outerjoin(MatchSuggestion, MatchSuggestion.introduction_id == Introduction.id)
        .where(Introduction.trial_request_id.is_not(None), Introduction.status.in_(list(OUTCOMES)))
        .order_by(Introduction.id)).all()
    for intro, suggested_kind in rows:
        if intro.site_id is not None:
            cid = c.candidate_id(c.SITE, intro.site_id)
        elif suggested_kind != c.SITE and intro.target_organisation_id is not None:
            cid = c.candidate_id(c.ORGANISATION, intro.target_organisation_id)
        else:
            continue  # the site was deleted: nothing to score
        kind, label, weight = OUTCOMES[intro.status]
        found[(intro.trial_request_id, cid)] = Label(intro.trial_request_id, cid, kind, label, weight)
    return sorted(found.values(), key=lambda lb: (lb.trial_request_id, lb.candidate))


def label_examples(labels: list[Label]) -> tuple[list[Example], int]:
    """The labels as the library's examples (component scores from `explain`) and how many were left
    out. Queries: one for the requests, one per candidate kind, one for the corpus's term counts."""
    parsed = [c.parse_id(lb.candidate) for lb in labels]
    site_ids = {number for kind, number in parsed if kind == c.SITE}
    org_ids = {number for kind, number in parsed if kind == c.ORGANISATION}
    trial_requests = {r.id: r for r in db.session.scalars(
        select(TrialRequest).where(TrialRequest.id.in_({lb.trial_request_id for lb in labels})))}
    sites = analyses.read(c.partner_rows(c.SITE).where(TrialSite.id.in_(site_ids))) if site_ids else []
    orgs = analyses.read(c.partner_rows(c.ORGANISATION).where(Organisation.id.in_(org_ids))) if org_ids else []
    corpus = analyses.corpus_stats(c.PARTNER_CORPUS, (row[-1] for row in [*sites, *orgs])) if sites or orgs else None
    periods = c.site_periods([row[0] for row in sites])
    site_rows = {c.candidate_id(c.SITE, row[0]): row for row in sites}
    organisations = {candidate.id: (candidate, analysis) for candidate, analysis in c.partners(c.ORGANISATION, orgs)}
    examples, left_out = [], 0
    by_request: dict[int, list[Label]] = {}
    for lb in labels:
        by_request.setdefault(lb.trial_request_id, []).append(lb)
    for request_id, group in by_request.items():
        trial_request = trial_requests.get(request_id)
        known = [lb for lb in group if lb.candidate in site_rows or lb.candidate in organisations]
        left_out += len(group) - len(known)
        if trial_request is None or not known:
            left_out += len(known)
            continue
        query = c.request_query(trial_request, c.request_area(trial_request), None)
        # The labelled sites only, available over this request's years (organisations do not depend on it).
        labelled_sites = [site_rows[lb.candidate] for lb in known if lb.candidate in site_rows]
        pairs = organisations | {candidate.id: (candidate, analysis) for candidate, analysis in
                                 c.partners(c.SITE, labelled_sites, c.query_years(query), periods)}
        index = candidate_index([pairs[lb.candidate] for lb in known], corpus)
        ctx = index.prepare(query)
        for lb in known:
            result = index.explain(ctx, lb.candidate)
            if result is None:
                left_out += 1
                continue
            examples.append(Example(dict(result.reasons.components), lb.label, f"request:{request_id}", lb.weight))
    return examples, left_out


@dataclass
class DevFigures:
    name: str
    defaults: dict[str, float]
    fitted: dict[str, float]


@dataclass
class LearningReport:
    """What `flask matcher learn` prints: the labels, the fit, and how each set of weights does."""

    counts: dict[str, int]
    left_out: int
    requests: int
    fit: Fit
    defaults: Weights
    in_force: Weights
    stored: dict[str, float | None] = field(default_factory=dict)  # AUC / pairwise, defaults vs fitted
    folds: dict[str, float | None] = field(default_factory=dict)
    dev: list[DevFigures] = field(default_factory=list)
    applied: bool = False
    folds_wanted: int = 5


def learn(*, dev_sets: list[Path] = (), apply: bool = False, applied_by: str = "", min_labels: int = 20,
          l2: float = 2.0, folds: int = 5) -> LearningReport:
    """Collect the labels, fit the weights, measure defaults vs fitted on the labels (fitted-on and
    k-fold) and on each development set; with `apply` (and a real fit) put the fitted weights in
    force. Flushes, never commits."""
    labels = collect_labels()
    examples, left_out = label_examples(labels)
    defaults = Weights()
    fit = fit_weights(examples, defaults, l2=l2, min_labels=min_labels)
    counts = {kind: sum(1 for lb in labels if lb.kind == kind) for kind in LABEL_KINDS}
    report = LearningReport(counts, left_out, len({e.group for e in examples}), fit, defaults, stored_weights(),
                            folds_wanted=folds)
    report.stored = compare(examples, defaults, fit.weights)
    if not fit.used_defaults and report.requests >= folds:
        report.folds = cross_validate(examples, defaults, folds=folds, l2=l2, min_labels=min_labels)
    for folder in dev_sets:
        dev = read_dev_set(folder)
        index = Index.build([Candidate.from_dict(x) for x in dev.candidates])  # once for both weightings
        report.dev.append(DevFigures(dev.name, ranking_metrics(dev, defaults, index),
                                     ranking_metrics(dev, fit.weights, index)))
    if apply and not fit.used_defaults:
        store_weights(fit.weights, len(examples), applied_by)
        report.applied = True
    return report


def reset(applied_by: str = "") -> None:
    """Back to the library's default weights (kept as a row, so the history stays); flushes."""
    store_weights(None, 0, applied_by)


def report_lines(report: LearningReport) -> list[str]:
    """The report as text lines for the terminal."""
    fit = report.fit
    total = sum(report.counts.values())
    out = ["Labels (trial requests' outcomes):"]
    out += [f"  {kind:<14}{n:>5}" for kind, n in report.counts.items()]
    out.append(f"  {'total':<14}{total:>5}  ({fit.positives} relevant, {fit.negatives} not; "
               f"{report.requests} requests; {report.left_out} left out: the matcher now filters them or they are gone)")
    if fit.used_defaults:
        out.append(f"Not fitted: {fit.reason}. The library's default weights are kept.")
    out.append("")
    out.append(f"  {'weight':<10}{'default':>9}{'fitted':>9}{'in force':>10}")
    for k in COMPONENTS:
        out.append(f"  {k:<10}{getattr(report.defaults, k):9.3f}{getattr(fit.weights, k):9.3f}"
                   f"{getattr(report.in_force, k):10.3f}")
    out.append("")
    out.append("On the stored labels (the same labels the weights were fitted on, so the fitted figure is optimistic):")
    out.append(f"  {'':<22}{'defaults':>9}{'fitted':>9}")
    out += comparison_lines(report.stored)
    if report.folds:
        out.append("Cross-validated by request (each request scored with weights fitted without it):")
        out += comparison_lines(report.folds)
    elif not fit.used_defaults:
        out.append(f"No cross-validated figure: it needs labels from at least {report.folds_wanted} requests.")
    for dev in report.dev:
        out.append(f"Development set {dev.name} (labels the fit never saw):")
        for metric in ("recall@5", "MRR"):
            out.append(f"  {metric:<22}{dev.defaults[metric]:9.3f}{dev.fitted[metric]:9.3f}")
    out.append("")
    if report.applied:
        out.append("Applied: trial requests are now ranked with the fitted weights (`flask matcher learn --reset` undoes it).")
    elif fit.used_defaults:
        out.append("Nothing stored: with these labels the defaults stay.")
    else:
        out.append("Nothing stored. Run again with --apply to rank trial requests with the fitted weights.")
    return out
