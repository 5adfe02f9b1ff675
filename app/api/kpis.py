"""/kpis: the fiscal year's indicators (KPIs) against their targets, and one organisation's own activity.

The same visibility as the pages: the secretariat reads every indicator and the figures per working
group (the dashboard, /kpis/manage/); everyone else reads only the indicators the secretariat opted in
to the public page (/kpis/), and nothing (404) while none is; a member organisation reads its own
activity (/kpis/organisations/<id>), the secretariat any organisation's. Closed fiscal years come from
their stored figures, the current one is computed live (app/kpis/figure_services.py).
"""
from __future__ import annotations

from flask_login import current_user
from pydantic import Field

from app.core.fiscal import current_fiscal_year
from app.kpis import figure_services, queries
from app.kpis.labels import PER_GROUP
from app.kpis.permissions import can_manage_kpis, can_view_organisation_activity
from app.kpis.report_queries import Line, indicator_lines, public_lines
from app.kpis.services import FIRST_YEAR, LAST_YEAR
from app.permissions import Refused
from app.web.loaders import get_visible_or_404
from models import Organisation

from .auth import PUBLIC, READ
from .operations import operation
from .schemas import QueryModel, ResponseModel


class YearQuery(QueryModel):
    year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR,
                             description="Fiscal year (年度, 1 April–31 March, Japan time), named after the calendar "
                                         "year it starts in: 2025 is 1 April 2025–31 March 2026. The current one "
                                         "when left out.")


class TrendPoint(ResponseModel):
    year: int
    actual: float | None = Field(description="The figure of that year; null when there is none (e.g. a median "
                                             "of a year without cases, a hand-entered figure not entered).")
    target: float | None


class IndicatorOut(ResponseModel):
    """One indicator in the year: actual figure, the secretariat's target and the achievement ratio (進捗度)."""

    key: str
    name: str = Field(description="The indicator's name in the language of Accept-Language.")
    unit: str
    section: str = Field(description="trials, needs, members, groups or manual.")
    manual: bool = Field(description="Entered by hand by the secretariat (the data cannot give it).")
    lower_is_better: bool = Field(description="Days: fewer is better, the ratio is target ÷ actual.")
    actual: float | None
    target: float | None
    achievement_ratio: int | None = Field(description="進捗度 in whole percent, rounded half up (133 for 4 of a "
                                                      "target of 3); null without a target, with a target of 0 "
                                                      "or without a figure.")
    trend: list[TrendPoint] = Field(description="The year and the four before it, oldest first.")


class GroupFiguresOut(ResponseModel):
    """A working group's figures in the year (indicators that are counted per group; missing keys are 0)."""

    group_id: int
    name_ja: str
    name_en: str
    figures: dict[str, int]


class KpiReportOut(ResponseModel):
    """The indicators of a fiscal year the caller may read: all of them for the secretariat, otherwise the
    ones published on the public page. `groups` is for the secretariat only (null for everyone else)."""

    year: int
    indicators: list[IndicatorOut]
    groups: list[GroupFiguresOut] | None


class OrganisationActivityOut(ResponseModel):
    """A member organisation's own activity in a fiscal year (its page 「活動状況」)."""

    organisation_id: int
    year: int
    trial_requests: int = Field(description="Field-trial requests it submitted in the year.")
    needs: int = Field(description="Regulatory needs it submitted in the year.")
    introductions_requested: int = Field(description="Introductions made for its requests (its own side).")
    introductions_received: int = Field(description="Introductions of another organisation's request to it.")
    introductions_agreed: int = Field(description="Of those introductions, the ones that led to an agreed trial.")
    meetings_attended: int
    attendances: int = Field(description="People × meetings attended.")


def _indicator(line: Line) -> IndicatorOut:
    indicator = line.indicator
    return IndicatorOut(
        key=indicator.key, name=str(indicator.label), unit=str(indicator.unit), section=indicator.section,
        manual=indicator.manual, lower_is_better=indicator.lower_is_better, actual=line.actual, target=line.target,
        achievement_ratio=line.ratio,
        trend=[TrendPoint(year=y, actual=line.trend.get(y), target=line.trend_targets.get(y)) for y in sorted(line.trend)],
    )


@operation("/kpis", summary="The year's indicators against targets", tag="kpis", access=PUBLIC, query=YearQuery,
           response=KpiReportOut, errors=(404,))
def get_kpis(query: YearQuery):
    """The secretariat: every indicator and the figures per working group. Everyone else (also without a
    token): the indicators published on the public page; 404 while the secretariat has published none."""
    year = query.year or current_fiscal_year()
    if can_manage_kpis(current_user):
        lines = indicator_lines(year)
        figures = figure_services.group_figures(year)
        keys = [i.key for i in PER_GROUP]
        groups = [GroupFiguresOut(group_id=g.id, name_ja=g.name_ja, name_en=g.name_en,
                                  figures={k: figures.get(g.id, {}).get(k, 0) for k in keys})
                  for g in queries.working_groups()]
        return KpiReportOut(year=year, indicators=[_indicator(line) for line in lines], groups=groups)
    lines = public_lines(year)
    if not lines:
        raise Refused(hidden=True)
    return KpiReportOut(year=year, indicators=[_indicator(line) for line in lines], groups=None)


@operation("/kpis/organisations/<int:organisation_id>", summary="An organisation's own activity", tag="kpis",
           access=READ, query=YearQuery, response=OrganisationActivityOut, errors=(404,))
def get_organisation_activity(organisation_id: int, query: YearQuery):
    """A member reads its own organisation's activity; the secretariat any organisation's; 404 for others."""
    organisation = get_visible_or_404(Organisation, organisation_id, current_user, can_view_organisation_activity)
    year = query.year or current_fiscal_year()
    return OrganisationActivityOut(organisation_id=organisation.id, year=year,
                                   **queries.organisation_activity(organisation.id, year))
