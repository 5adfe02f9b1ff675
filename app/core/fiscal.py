"""Japanese fiscal years (年度): 1 April to 31 March, named after the calendar year they start in."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")


def fiscal_year_of(moment: date | datetime) -> int:
    """The fiscal year of a date (or of an aware datetime, taken in Asia/Tokyo)."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(TOKYO).date() if moment.tzinfo else moment.date()
    return moment.year if moment.month >= 4 else moment.year - 1


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """First and last day (inclusive) of fiscal year `year`."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def current_fiscal_year() -> int:
    return fiscal_year_of(datetime.now(TOKYO))
