"""The year's report (年度報告) as one object: indicators with targets and achievement ratios (進捗度),
the trend over past years, per working group, members, the funnels and the evaluation. The dashboard,
the public page and every export read this same object, so they show the same figures. The charts' geometry
(bars, columns) is computed here too, once, for the page's SVG and the PDF's drawing."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from app.members.labels import CATEGORY_LABELS, SECTOR_LABELS
from app.needs.labels import STATUS_LABELS as NEED_STATUS_LABELS
from app.trials.labels import STATUS_LABELS as TRIAL_STATUS_LABELS
from models import IndustryCategory, KpiManualValue, NeedStatus, Sector, TrialRequestStatus, WorkingGroup

from . import figure_services, queries
from .labels import INDICATORS, Indicator

log = logging.getLogger(__name__)

TREND_YEARS = 5  # the year shown and the four before it
BAR_AREA = 400  # horizontal bars: the bar area's width in SVG units
COLUMN_HEIGHT = 120  # trend columns: the plot's height
COLUMN_WIDTH = 56


def achievement_ratio(actual: float | None, target: float | None, lower_is_better: bool = False) -> int | None:
    """進捗度 in whole percent, as the national evaluation prints it (4 of a target of 3 → 133).

    None when there is nothing to compare: no target, a target of zero, no actual figure, or (for
    days, where less is better) an actual of zero days.
    """
    if actual is None or target is None or target <= 0:
        return None
    if lower_is_better:
        if actual <= 0:
            return None
        ratio = Decimal(str(target)) / Decimal(str(actual))
    else:
        ratio = Decimal(str(actual)) / Decimal(str(target))
    return int((ratio * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_ratio(ratio: int | None) -> str:
    return "—" if ratio is None else f"{ratio}%"


def format_value(value: float | None) -> str:
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


@dataclass
class Line:
    """One indicator in one year, with its trend."""

    indicator: Indicator
    actual: float | None
    target: float | None
    ratio: int | None
    trend: dict[int, float | None]  # year -> actual
    trend_targets: dict[int, float | None]
    manual: KpiManualValue | None = None

    @property
    def key(self) -> str:
        return self.indicator.key


@dataclass
class GroupRow:
    group: WorkingGroup
    figures: dict[str, int]


@dataclass
class YearReport:
    year: int
    years: list[int]
    lines: list[Line]
    groups: list[GroupRow]
    members: list[tuple[str, str | None, int]]
    need_funnel: dict[str, int]
    trial_funnel: dict[str, int]
    evaluation: queries.Evaluation
    public: set[str] = field(default_factory=set)
    as_of: datetime | None = None  # the current year's figures were computed then (kept a few minutes); None: live

    def line(self, key: str) -> Line:
        return next(line for line in self.lines if line.key == key)


def trend_years(year: int) -> list[int]:
    return list(range(year - TREND_YEARS + 1, year + 1))


def indicator_lines(year: int, now: datetime | None = None) -> list[Line]:
    years = trend_years(year)
    computed = figure_services.indicator_figures(years, now=now)
    manual_rows = queries.manual_values(years)
    computed.update(queries.manual_trend(years, manual_rows))
    manual_now = {row.indicator: row for row in manual_rows if row.fiscal_year == year}
    goals = queries.targets(years)
    lines = []
    for indicator in INDICATORS:
        trend = computed[indicator.key]
        targets = {y: goals.get(indicator.key, {}).get(y) for y in years}
        actual, target = trend[year], targets[year]
        lines.append(Line(indicator, actual, target, achievement_ratio(actual, target, indicator.lower_is_better),
                          trend, targets, manual_now.get(indicator.key)))
    return lines


def year_report(year: int, now: datetime | None = None) -> YearReport:
    # The trend first: closed years missing from storage are stored oldest first, and every writer of
    # kpi_stored_years takes its rows in that order (PostgreSQL: no lock-order deadlock).
    lines = indicator_lines(year, now=now)
    figures = figure_services.group_figures(year, now=now)
    groups = [GroupRow(g, figures.get(g.id, {})) for g in queries.working_groups()]
    return YearReport(
        year=year, years=trend_years(year), lines=lines, groups=groups,
        members=queries.members_by_sector(year), need_funnel=queries.need_funnel(year),
        trial_funnel=queries.trial_funnel(year), evaluation=queries.evaluation(year),
        public=queries.public_indicators(), as_of=figure_services.current_year_as_of(year) if now is None else None,
    )


def public_lines(year: int) -> list[Line]:
    """Only the opted-in indicators; nothing else is computed for the public page."""
    chosen = queries.public_indicators()
    if not chosen:
        return []
    return [line for line in indicator_lines(year) if line.key in chosen]


# --- chart geometry ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    key: str
    label: object
    value: float
    length: int  # 0..BAR_AREA


@dataclass(frozen=True)
class Column:
    year: int
    actual: float | None
    target: float | None
    height: int  # 0..COLUMN_HEIGHT
    target_y: int | None  # the target's line, from the top of the plot


def bars(items: list[tuple[str, object, float]]) -> list[Bar]:
    largest = max((value for _k, _l, value in items), default=0) or 1
    return [Bar(key, label, value, round(BAR_AREA * value / largest)) for key, label, value in items]


def columns(trend: dict[int, float | None], targets: dict[int, float | None]) -> list[Column]:
    largest = max([v for v in (*trend.values(), *targets.values()) if v is not None], default=0) or 1
    out = []
    for year in sorted(trend):
        actual, target = trend[year], targets.get(year)
        height = round(COLUMN_HEIGHT * (actual or 0) / largest)
        target_y = None if target is None else COLUMN_HEIGHT - round(COLUMN_HEIGHT * target / largest)
        out.append(Column(year, actual, target, height, target_y))
    return out


def need_funnel_bars(counts: dict[str, int]) -> list[Bar]:
    """Needs received in the year, by state, in pipeline order (drafts are not received)."""
    return bars([(s.value, NEED_STATUS_LABELS[s], counts.get(s.value, 0)) for s in NeedStatus if s != NeedStatus.DRAFT])


def trial_funnel_bars(counts: dict[str, int]) -> list[Bar]:
    return bars([(s.value, TRIAL_STATUS_LABELS[s], counts.get(s.value, 0)) for s in TrialRequestStatus])


def member_bars(rows: list[tuple[str, str | None, int]]) -> list[Bar]:
    """Members at the end of the year by sector, industry split by category (as the study does)."""
    counts = {(sector, category): n for sector, category, n in rows}
    items: list[tuple[str, object, float]] = []
    for sector in Sector:
        if sector == Sector.INDUSTRY:
            for category in IndustryCategory:
                items.append((f"{sector.value}:{category.value}", f"{SECTOR_LABELS[sector]} — {CATEGORY_LABELS[category]}",
                              counts.get((sector.value, category.value), 0)))
            if counts.get((sector.value, None)):
                items.append((f"{sector.value}:", SECTOR_LABELS[sector], counts[(sector.value, None)]))
        else:
            items.append((sector.value, SECTOR_LABELS[sector], sum(n for (s, _c), n in counts.items() if s == sector.value)))
    return bars(items)
