"""The secretariat's matcher pages: ranked sites and partners with reasons, and making introductions."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core import analyses
from app.core import synonyms as synonyms_file
from app.core.database import begin_write, keeping_loaded
from app.introductions.matcher_services import (
    MatchFilters,
    challenge_circle,
    inside_circle,
    match_challenge,
    match_nearest_for_challenge,
    match_nearest_for_request,
    match_trial_request,
    request_circle,
    shown_rows,
    unlocated,
)
from app.members.labels import SUPPORT_LABELS_BY_VALUE
from app.permissions import staff_required
from app.trials.labels import SITE_KIND_LABELS, STATUS_LABELS
from app.web.forms import choices
from app.web.loaders import get_or_404
from app.web.submissions import redirect_once, submit_once
from models import MatchRun, MatchSuggestion, Organisation, RegionalChallenge, TrialRequest, TrialSite, db

from .blueprint import bp
from .candidates import candidate_id, parse_id
from .dismissals import dismiss_candidate, dismissed_candidates, undo_dismissal
from .forms import DismissForm, IntroduceForm, SynonymsForm
from .labels import COMPONENT_LABELS, KIND_LABELS
from .services import create_introductions, record_run


def _render(run: MatchRun, filters: MatchFilters, subject, subject_kind: str, circle: float | None = None,
            nearest: bool = False):
    # The shown rows' sites, their owners and organisations in three queries, not one per row.
    run = db.session.scalars(select(MatchRun).where(MatchRun.id == run.id).options(
        selectinload(MatchRun.suggestions).selectinload(MatchSuggestion.site).selectinload(TrialSite.owner),
        selectinload(MatchRun.suggestions).selectinload(MatchSuggestion.organisation))).one()
    form = IntroduceForm()
    # A confidential request's title is not pre-filled: the other side must not read it by accident.
    form.message.data = form.message.data or ("" if getattr(subject, "confidential", False) else subject.title)
    rows, weak_rows = shown_rows(run.suggestions)
    rows, unlocated_rows = unlocated(rows, circle)
    # Candidates marked "not relevant" for a trial request go folded to the end (one query for all).
    dismissed = dismissed_candidates(subject.id) if subject_kind == "request" else set()
    rows, weak_rows, unlocated_rows, dismissed_rows = split_dismissed(dismissed, rows, weak_rows, unlocated_rows)
    return render_template("introductions/matcher.html", run=run, rows=rows, weak_rows=weak_rows, filters=filters,
                           unlocated_rows=unlocated_rows, circle=circle, nearest=nearest, dismissed_rows=dismissed_rows,
                           candidate_id=candidate_id,
                           subject=subject, subject_kind=subject_kind, form=form, kind_labels=SITE_KIND_LABELS,
                           status_labels=STATUS_LABELS, component_labels=COMPONENT_LABELS, component_kinds=KIND_LABELS,
                           support_labels=SUPPORT_LABELS_BY_VALUE)


def split_dismissed(dismissed: set[tuple[str, int]], *groups: list) -> tuple[list, ...]:
    """Each group of rows without the dismissed candidates, then the dismissed ones (in shown order)."""
    kept = tuple([row for row in rows if row[0].candidate not in dismissed] for rows in groups)
    return (*kept, [row for rows in groups for row in rows if row[0].candidate in dismissed])


@bp.route("/match/request/<int:request_id>")
@staff_required
def match_request(request_id: int):
    trial_request = get_or_404(TrialRequest, request_id)
    filters = MatchFilters.from_args(request.args)
    results = match_trial_request(trial_request, filters)
    circle = request_circle(trial_request, filters)
    # Nothing real inside the circle: the nearest real matches, with their distance (the page says so).
    nearest = circle is not None and not inside_circle(results)
    if nearest:
        results = match_nearest_for_request(trial_request, filters, circle) + [r for r in results if r.reasons.distance_km is None or r.reasons.weak]
    with keeping_loaded():  # the request and the user are shown as read, not read again
        begin_write()  # the ranking ran in a read transaction; storing the run takes the lock briefly
        run = record_run(current_user, trial_request=trial_request, filters=filters.as_dict(), results=results)
        db.session.commit()
    return _render(run, filters, trial_request, "request", circle, nearest)


@bp.route("/match/request/<int:request_id>/dismiss", methods=["POST"])
@staff_required
def dismiss(request_id: int):
    """Mark a candidate "not relevant" for the request: folded on the page, a label for learning."""
    return _dismissal(request_id, undo=False)


@bp.route("/match/request/<int:request_id>/undismiss", methods=["POST"])
@staff_required
def undismiss(request_id: int):
    """Take the "not relevant" mark back."""
    return _dismissal(request_id, undo=True)


def _dismissal(request_id: int, undo: bool):
    trial_request = get_or_404(TrialRequest, request_id)
    form = DismissForm()
    if not form.validate_on_submit():
        abort(400)
    kind, number = parse_id(form.candidate.data)
    if undo:
        undo_dismissal(current_user, trial_request, kind, number)
    else:
        get_or_404(TrialSite if kind == "site" else Organisation, number)  # only a candidate that exists
        dismiss_candidate(current_user, trial_request, kind, number)
    db.session.commit()
    flash(_("The candidate is shown among the others again.") if undo else
          _("Marked as not relevant. The matcher learns from this."), "success")
    # Back to the page with the filters it was showing (the buttons post them in their address).
    return redirect(url_for("introductions.match_request", request_id=request_id,
                            **MatchFilters.from_args(request.args).as_dict()))


@bp.route("/match/challenge/<int:challenge_id>", endpoint="match_challenge")
@staff_required
def match_challenge_page(challenge_id: int):
    challenge = get_or_404(RegionalChallenge, challenge_id)
    filters = MatchFilters.from_args(request.args, default_kind="organisation")
    results = match_challenge(challenge, filters)
    circle = challenge_circle(challenge, filters)
    nearest = circle is not None and not inside_circle(results)
    if nearest:
        results = match_nearest_for_challenge(challenge, filters, circle) + [r for r in results if r.reasons.distance_km is None or r.reasons.weak]
    with keeping_loaded():
        begin_write()
        run = record_run(current_user, challenge=challenge, filters=filters.as_dict(), results=results)
        db.session.commit()
    return _render(run, filters, challenge, "challenge", circle, nearest)


@bp.route("/runs/<int:run_id>/introduce", methods=["POST"])
@staff_required
def introduce(run_id: int):
    run = get_or_404(MatchRun, run_id)
    form = IntroduceForm()
    form.suggestions.choices = choices((s.id, str(s.id)) for s in run.suggestions)
    back = (url_for("trials.request_detail", request_id=run.trial_request_id) if run.trial_request_id
            else url_for("trials.challenge", challenge_id=run.challenge_id))
    if not form.validate_on_submit():
        flash(_("Select at least one candidate and write the message both sides will read."), "error")
        return redirect(back)
    created = []

    def introduce_once() -> str:
        created.extend(create_introductions(current_user, run, form.suggestions.data, form.message.data.strip(),
                                            send=bool(form.send.data)))
        if not created:
            abort(400)
        return url_for("introductions.index")

    outcome = submit_once(form.submission_key.data, current_user, introduce_once)
    return redirect_once(outcome, ngettext("%(num)s introduction made.", "%(num)s introductions made.", len(created)))


@bp.route("/synonyms", methods=["GET", "POST"])
@staff_required
def synonyms():
    """The matcher's extra synonyms (ドローン = UAV = drone): kept as a data file, used by every search."""
    form = SynonymsForm()
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            count = synonyms_file.save_synonyms(current_user, form.text.data or "")
        except synonyms_file.SynonymsRefused as refused:
            errors = refused.errors
        else:
            db.session.commit()
            analyses.reanalyse_soon(current_app._get_current_object())  # the stored analyses follow
            flash(_("Saved %(count)s synonym groups. Searches and the matcher use them from now on.", count=count), "success")
            return redirect(url_for("introductions.synonyms"))
    elif request.method == "GET":
        form.text.data = synonyms_file.current_text()
    return render_template("introductions/synonyms.html", form=form, errors=errors)
