"""From a trial's regulatory obstacle to a regulatory need (規制緩和ニーズ): most needs surface in trials.

The needs domain owns the need form; it calls `need_prefill_from_trial` for `/needs/new?from_trial=<id>`
and fills its form with the values (keys are the need form's field names).
"""
from __future__ import annotations

from app.permissions import is_staff
from models import TrialRequest

from .permissions import can_view_trial_request, is_requester


def can_open_need_from_trial(user, trial_request: TrialRequest) -> bool:
    """The requester (or the secretariat) of a completed trial whose report names regulatory obstacles."""
    return (trial_request.result is not None and bool(trial_request.result.obstacles.strip())
            and (is_staff(user) or is_requester(user, trial_request)))


def need_prefill_from_trial(user, trial_request: TrialRequest) -> dict[str, str]:
    """The need form's values pre-filled from the trial; {} when `user` may not use this trial."""
    if not (can_view_trial_request(user, trial_request) and can_open_need_from_trial(user, trial_request)):
        return {}
    result = trial_request.result
    business = "\n\n".join(p for p in (trial_request.verify, trial_request.technology, result.outcome) if p)
    return {
        "title": trial_request.title[:200],
        "business": business,
        "stage": "trial",
        "obstacle": result.obstacles,
        "evidence": "\n\n".join(p for p in (result.verified, result.data_shared) if p),
    }
