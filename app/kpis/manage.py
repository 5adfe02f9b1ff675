"""Secretariat views: the dashboard, targets, hand-entered figures, the evaluation sheet, the public
opt-in and the year's report as .xlsx, PDF and CSV."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.permissions import staff_required
from app.web.inputs import check_year
from app.web.forms import ActionForm
from app.web.loaders import get_or_404
from models import db
from models.kpis import Evaluator

from . import export_services as exports
from . import queries, services
from . import report_queries
from .blueprint import bp
from .forms import EvaluatorForm, ManualValueForm, PublicForm, TargetForm, WeightsForm
from .labels import BY_KEY, INDICATORS, MANUAL, PART_LABELS, PER_GROUP, SECTION_LABELS
from .report_queries import format_ratio, format_value, indicator_lines, year_report
from .routes import requested_year, year_choices

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


def _plain_number(value: float | None):
    """3.0 shows as 3 in the form's field."""
    return int(value) if value is not None and float(value).is_integer() else value


@bp.app_template_global()
def kpi_value(value) -> str:
    return format_value(value)


@bp.app_template_global()
def kpi_ratio(ratio) -> str:
    return format_ratio(ratio)


@bp.route("/manage/")
@staff_required
def dashboard():
    year = requested_year()
    report = year_report(year)
    page = render_template(
        "kpis/manage/dashboard.html", report=report, year=year, years=year_choices(year), sections=SECTION_LABELS,
        per_group=PER_GROUP, member_bars=report_queries.member_bars(report.members),
        need_bars=report_queries.need_funnel_bars(report.need_funnel), trial_bars=report_queries.trial_funnel_bars(report.trial_funnel),
        columns={line.key: report_queries.columns(line.trend, line.trend_targets) for line in report.lines},
        parts=PART_LABELS, bar_area=report_queries.BAR_AREA, column_height=report_queries.COLUMN_HEIGHT,
        column_width=report_queries.COLUMN_WIDTH,
    )
    db.session.commit()  # keeps the figures of closed years that this read stored (after rendering: nothing expires)
    return page


@bp.route("/manage/targets/<int:year>")
@staff_required
def targets(year: int):
    check_year(year)
    lines = indicator_lines(year)
    forms = {line.key: TargetForm(prefix=line.key, value=_plain_number(line.target)) for line in lines}
    page = render_template("kpis/manage/targets.html", year=year, years=year_choices(year), lines=lines, forms=forms,
                           sections=SECTION_LABELS)
    db.session.commit()  # keeps the closed years' figures this read stored
    return page


@bp.route("/manage/targets/<int:year>/<indicator>", methods=["POST"])
@staff_required
def set_target(year: int, indicator: str):
    check_year(year)
    if indicator not in BY_KEY:
        abort(404)
    form = TargetForm(prefix=indicator)
    if form.validate_on_submit():
        try:
            services.set_target(current_user, indicator, year, form.value.data)
        except services.KpiError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Target saved: %(indicator)s.", indicator=BY_KEY[indicator].label), "success")
    else:
        flash(_("The target must be a number from 0 to 1,000,000,000,000, or empty for no target."), "error")
    return redirect(url_for("kpis.targets", year=year, _anchor=f"target-{indicator}"))


@bp.route("/manage/figures/<int:year>", methods=["GET"])
@staff_required
def manual(year: int):
    check_year(year)
    rows = {row.indicator: row for row in queries.manual_values([year])}
    forms = {i.key: ManualValueForm(prefix=i.key, obj=rows.get(i.key)) for i in MANUAL}
    return render_template("kpis/manage/manual.html", year=year, years=year_choices(year), indicators=MANUAL,
                           rows=rows, forms=forms)


@bp.route("/manage/figures/<int:year>/<indicator>", methods=["POST"])
@staff_required
def enter_figure(year: int, indicator: str):
    check_year(year)
    if indicator not in {i.key for i in MANUAL}:
        abort(404)
    form = ManualValueForm(prefix=indicator)
    if form.validate_on_submit():
        try:
            services.enter_manual_value(current_user, indicator, year, form.value.data, form.note.data)
        except services.KpiError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Figure saved: %(indicator)s.", indicator=BY_KEY[indicator].label), "success")
            return redirect(url_for("kpis.manual", year=year))
    rows = {row.indicator: row for row in queries.manual_values([year])}
    forms = {i.key: (form if i.key == indicator else ManualValueForm(prefix=i.key, obj=rows.get(i.key))) for i in MANUAL}
    return render_template("kpis/manage/manual.html", year=year, years=year_choices(year), indicators=MANUAL,
                           rows=rows, forms=forms), 400


def _evaluation_page(year: int, weights_form=None, evaluator_form=None, status: int = 200):
    check_year(year)
    weights = queries.weights_for(year)
    weights_form = weights_form or WeightsForm(weight_i=weights[0], weight_ii=weights[1], weight_iii=weights[2])
    return render_template(
        "kpis/manage/evaluation.html", year=year, years=year_choices(year), evaluation=queries.evaluation(year),
        evaluators=queries.evaluators_for(year), weights_form=weights_form,
        evaluator_form=evaluator_form or EvaluatorForm(), action_form=ActionForm(), parts=PART_LABELS,
        past=[queries.evaluation(y) for y in queries.evaluation_years() if y != year][:10],
    ), status


@bp.route("/manage/evaluation/<int:year>")
@staff_required
def evaluation(year: int):
    check_year(year)
    return _evaluation_page(year)


@bp.route("/manage/evaluation/<int:year>/weights", methods=["POST"])
@staff_required
def set_weights(year: int):
    check_year(year)
    form = WeightsForm()
    if not form.validate_on_submit():
        return _evaluation_page(year, weights_form=form, status=400)
    try:
        services.set_weights(current_user, year, (form.weight_i.data, form.weight_ii.data, form.weight_iii.data))
    except services.KpiError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Weights saved."), "success")
    return redirect(url_for("kpis.evaluation", year=year))


@bp.route("/manage/evaluation/<int:year>/evaluators", methods=["POST"])
@staff_required
def add_evaluator(year: int):
    check_year(year)
    form = EvaluatorForm()
    if not form.validate_on_submit():
        return _evaluation_page(year, evaluator_form=form, status=400)
    try:
        services.name_evaluator(current_user, year, form.email.data)
    except services.KpiError as error:
        db.session.rollback()
        form.email.errors = [str(error)]
        return _evaluation_page(year, evaluator_form=form, status=400)
    db.session.commit()
    flash(_("Evaluator named."), "success")
    return redirect(url_for("kpis.evaluation", year=year))


@bp.route("/manage/evaluators/<int:evaluator_id>/remove", methods=["POST"])
@staff_required
def remove_evaluator(evaluator_id: int):
    evaluator = get_or_404(Evaluator, evaluator_id)
    year = evaluator.fiscal_year
    services.remove_evaluator(current_user, evaluator)
    db.session.commit()
    flash(_("Evaluator removed."), "success")
    return redirect(url_for("kpis.evaluation", year=year))


@bp.route("/manage/public", methods=["GET", "POST"])
@staff_required
def public_settings():
    options = [(i.key, i.label) for i in INDICATORS]
    form = PublicForm(options=options)
    if form.validate_on_submit():
        services.publish_indicators(current_user, form.indicators.data or [])
        db.session.commit()
        flash(_("The public page has been updated."), "success")
        return redirect(url_for("kpis.public_settings"))
    if not form.is_submitted():
        form.indicators.data = sorted(queries.public_indicators())
    return render_template("kpis/manage/public.html", form=form)


@bp.route("/manage/report/<int:year>.<fmt>")
@staff_required
def export(year: int, fmt: str):
    check_year(year)
    if fmt not in FORMATS or not services.FIRST_YEAR <= year <= services.LAST_YEAR:
        abort(404)
    report = year_report(year)
    locale = str(get_locale() or "ja")
    if fmt == "xlsx":
        body = exports.report_xlsx(report, locale)
    elif fmt == "pdf":
        body = exports.report_pdf(report, locale)
    else:
        body = exports.indicators_csv(report)
    db.session.commit()  # keeps the closed years' figures this read stored
    return Response(body, mimetype=FORMATS[fmt],
                    headers={"Content-Disposition": f"attachment; filename=kpi-report-{year}.{fmt}"})
