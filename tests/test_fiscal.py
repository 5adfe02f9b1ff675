from datetime import date, datetime, timezone

from app.core.fiscal import fiscal_year_bounds, fiscal_year_of


def test_fiscal_year_starts_in_april():
    assert fiscal_year_of(date(2026, 3, 31)) == 2025
    assert fiscal_year_of(date(2026, 4, 1)) == 2026


def test_fiscal_year_of_datetime_uses_tokyo_time():
    # 31 March 2026 16:00 UTC is already 1 April 01:00 in Tokyo.
    assert fiscal_year_of(datetime(2026, 3, 31, 16, 0, tzinfo=timezone.utc)) == 2026


def test_bounds():
    assert fiscal_year_bounds(2026) == (date(2026, 4, 1), date(2027, 3, 31))
