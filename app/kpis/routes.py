"""Public and member views: the opt-in public figures, a member organisation's own activity page, and
the evaluation sheet for named evaluators."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.fiscal import current_fiscal_year
from app.permissions import Refused, require
from app.web.inputs import check_year
from app.web.loaders import get_visible_or_404
from models import EvaluationScore, Organisation, db

from . import queries, services
from .blueprint import bp
from .forms import ScoreForm
from .labels import PART_LABELS
from .permissions import can_score_evaluation, can_view_organisation_activity
from .report_queries import public_lines


def requested_year() -> int:
    """The `year` query parameter when it is a sensible fiscal year, else the current one."""
    year = request.args.get("year", type=int)
    if year is None or not services.FIRST_YEAR <= year <= services.LAST_YEAR:
        return current_fiscal_year()
    return year


def year_choices(year: int) -> list[int]:
    current = current_fiscal_year()
    return sorted({*range(current - 9, current + 1), year}, reverse=True)


@bp.route("/")
def public():
    """Headline figures the secretariat opted in; without any, the page does not exist."""
    year = requested_year()
    lines = public_lines(year)
    if not lines:
        abort(404)
    page = render_template("kpis/public.html", lines=lines, year=year, years=year_choices(year))
    db.session.commit()  # keeps the closed years' figures this read stored
    return page


@bp.route("/organisation")
@login_required
def my_organisation():
    """The member's own activity page; the secretariat goes to the dashboard; anyone else has none (404)."""
    if current_user.is_staff:
        return redirect(url_for("kpis.dashboard", **request.args))
    organisation = db.session.get(Organisation, current_user.organisation_id) if current_user.organisation_id else None
    if organisation is None or not can_view_organisation_activity(current_user, organisation):
        raise Refused(hidden=True)
    return redirect(url_for("kpis.organisation", organisation_id=organisation.id, **request.args))


@bp.route("/organisations/<int:organisation_id>")
@login_required
def organisation(organisation_id: int):
    """A member organisation's own activity: the secretariat sees any, a member only its own (others: 404)."""
    organisation = get_visible_or_404(Organisation, organisation_id, current_user, can_view_organisation_activity)
    year = requested_year()
    return render_template("kpis/organisation.html", organisation=organisation, year=year, years=year_choices(year),
                           figures=queries.organisation_activity(organisation.id, year))


@bp.route("/evaluation/<int:year>/score", methods=["GET", "POST"])
@login_required
def score(year: int):
    check_year(year)
    """The acting person's own evaluation sheet for the year (secretariat or a named evaluator)."""
    require(can_score_evaluation(current_user, year))
    own = db.session.scalar(select(EvaluationScore).where(EvaluationScore.fiscal_year == year,
                                                          EvaluationScore.evaluator_id == current_user.id))
    form = ScoreForm(obj=own)
    if form.validate_on_submit():
        try:
            services.score_evaluation(current_user, year, (form.score_i.data, form.score_ii.data, form.score_iii.data),
                                      (form.comment_i.data or "", form.comment_ii.data or "", form.comment_iii.data or ""))
        except services.KpiError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Your evaluation has been saved."), "success")
            return redirect(url_for("kpis.score", year=year))
    return render_template("kpis/score.html", form=form, year=year, parts=PART_LABELS,
                           weights=queries.weights_for(year))
