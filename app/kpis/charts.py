"""Chart geometry drawn by the server: the same numbers feed the page's SVG and the PDF's drawing."""
from __future__ import annotations

from dataclasses import dataclass

from app.members.labels import CATEGORY_LABELS, SECTOR_LABELS
from app.needs.labels import STATUS_LABELS as NEED_STATUS_LABELS
from app.trials.labels import STATUS_LABELS as TRIAL_STATUS_LABELS
from models import IndustryCategory, NeedStatus, Sector, TrialRequestStatus

BAR_AREA = 400  # horizontal bars: the bar area's width in SVG units
COLUMN_HEIGHT = 120  # trend columns: the plot's height
COLUMN_WIDTH = 56


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
