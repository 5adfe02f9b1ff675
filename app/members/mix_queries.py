"""The membership mix (会員構成): active members by sector and category and by municipality, for table and chart."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from models import IndustryCategory, Organisation, OrganisationStatus, Sector, db

from .labels import CATEGORY_LABELS, SECTOR_LABELS

BAR_WIDTH = 400  # the chart's bar area in SVG user units
# A ward of a designated city (札幌市中央区) counts for its city: the figure is about regions.
WARD = re.compile(r"^(.+?市).+区$")


def region_of(municipality: str) -> str:
    match = WARD.match(municipality)
    return match.group(1) if match else (municipality or "—")


@dataclass
class MixRow:
    key: str
    label: str
    count: int
    share: float  # 0..1 of all members
    bar: int  # bar length in SVG units, relative to the largest row


def _rows(counts: list[tuple[str, str, int]], total: int) -> list[MixRow]:
    largest = max((n for _k, _l, n in counts), default=0) or 1
    return [MixRow(key, label, n, n / total if total else 0.0, round(BAR_WIDTH * n / largest)) for key, label, n in counts]


def membership_mix() -> dict:
    members = list(db.session.scalars(select(Organisation).where(Organisation.status == OrganisationStatus.ACTIVE)))
    total = len(members)
    groups: list[tuple[str, str, int]] = []
    for sector in Sector:
        if sector == Sector.INDUSTRY:
            for category in IndustryCategory:
                n = sum(1 for o in members if o.sector == sector and o.category == category)
                groups.append((f"{sector.value}:{category.value}", f"{SECTOR_LABELS[sector]} — {CATEGORY_LABELS[category]}", n))
            n = sum(1 for o in members if o.sector == sector and o.category is None)
            if n:
                groups.append((f"{sector.value}:", f"{SECTOR_LABELS[sector]}", n))
        else:
            groups.append((sector.value, str(SECTOR_LABELS[sector]), sum(1 for o in members if o.sector == sector)))
    places: dict[str, int] = {}
    for o in members:
        region = region_of(o.municipality)
        places[region] = places.get(region, 0) + 1
    by_place = sorted(places.items(), key=lambda pair: (-pair[1], pair[0]))
    return {
        "total": total,
        "by_sector": _rows(groups, total),
        "by_municipality": _rows([(name, name, n) for name, n in by_place], total),
    }
