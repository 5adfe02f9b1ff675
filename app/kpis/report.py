"""The year's report (年度報告) as one object: indicators with targets and achievement ratios (進捗度),
the trend over past years, per working group, members, the funnels and the evaluation. The dashboard,
the public page and every export read this same object, so they show the same figures."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from models import KpiManualValue, WorkingGroup

from . import queries
from .labels import INDICATORS, Indicator

log = logging.getLogger(__name__)

TREND_YEARS = 5  # the year shown and the four before it


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

    def line(self, key: str) -> Line:
        return next(line for line in self.lines if line.key == key)


def trend_years(year: int) -> list[int]:
    return list(range(year - TREND_YEARS + 1, year + 1))


def indicator_lines(year: int, now: datetime | None = None) -> list[Line]:
    years = trend_years(year)
    computed = queries.indicator_trend(years, now=now)
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
    figures = queries.group_indicators(year, now=now)
    groups = [GroupRow(g, figures.get(g.id, {})) for g in queries.working_groups()]
    return YearReport(
        year=year, years=trend_years(year), lines=indicator_lines(year, now=now), groups=groups,
        members=queries.members_by_sector(year), need_funnel=queries.need_funnel(year),
        trial_funnel=queries.trial_funnel(year), evaluation=queries.evaluation(year),
        public=queries.public_indicators(),
    )


def public_lines(year: int) -> list[Line]:
    """Only the opted-in indicators; nothing else is computed for the public page."""
    chosen = queries.public_indicators()
    return [line for line in indicator_lines(year) if line.key in chosen]
