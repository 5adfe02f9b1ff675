"""The current fiscal year's figures are kept for KPI_CURRENT_YEAR_SECONDS once computed: pages read
them instead of aggregating the year's rows, say "as of" when, and compute them again once they are
older; kept figures are never taken for a closed year's. (The test configuration keeps nothing: the
other tests read figures as of the moment.)

The world of conftest.py has rows in FY2024-FY2026; FY2026 is made the current year."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.kpis import figure_services, queries
from models import RegulatoryNeed, db, utcnow
from models.kpis import KpiStoredYear

from ..statements import counted_statements
from .conftest import NEXT, YEAR, source_reads

CURRENT = YEAR + 1


@pytest.fixture(autouse=True)
def keep_five_minutes(app, monkeypatch):
    monkeypatch.setattr(figure_services, "current_fiscal_year", lambda: CURRENT)
    monkeypatch.setitem(app.config, "KPI_CURRENT_YEAR_SECONDS", 300)


def add_need(world, moment=NEXT + timedelta(days=2)) -> None:
    db.session.add(RegulatoryNeed(title="今年度の新しいニーズ", organisation_id=world["org1"].id,
                                  submitter_id=world["user"].id, submitted_at=moment, group_id=world["g1"].id))
    db.session.commit()


def received(figures) -> int:
    return figures["needs_received"][CURRENT]


def age_kept_figures(seconds: int) -> None:
    db.session.execute(update(KpiStoredYear).where(KpiStoredYear.fiscal_year == CURRENT)
                       .values(stored_at=utcnow() - timedelta(seconds=seconds)))
    db.session.commit()


def test_the_current_year_is_computed_once_then_read_from_the_kept_figures(kpi_world):
    live = queries.indicator_trend([CURRENT])
    assert figure_services.indicator_figures([CURRENT]) == live
    assert figure_services.group_figures(CURRENT) == queries.group_indicators(CURRENT)
    db.session.commit()
    assert db.session.get(KpiStoredYear, CURRENT).stored_generation == figure_services.LIVE
    groups = queries.group_indicators(CURRENT)
    with counted_statements() as kept_only:
        assert figure_services.indicator_figures([CURRENT]) == live
        assert figure_services.group_figures(CURRENT) == groups
    assert len(kept_only) == 2 and not source_reads(kept_only)  # one read of the kept figures each


def test_a_change_shows_once_the_kept_figures_are_older_than_the_setting(kpi_world):
    before = received(figure_services.indicator_figures([CURRENT]))
    db.session.commit()
    add_need(kpi_world)
    assert received(figure_services.indicator_figures([CURRENT])) == before  # kept: the new need not yet counted
    age_kept_figures(299)
    assert received(figure_services.indicator_figures([CURRENT])) == before
    age_kept_figures(301)
    assert received(figure_services.indicator_figures([CURRENT])) == before + 1
    db.session.commit()
    assert db.session.get(KpiStoredYear, CURRENT).stored_at > utcnow() - timedelta(seconds=60)


def test_a_caller_asking_as_of_another_moment_gets_live_figures(kpi_world):
    figure_services.indicator_figures([CURRENT])
    db.session.commit()
    add_need(kpi_world)
    now = utcnow()
    assert received(figure_services.indicator_figures([CURRENT], now=now)) == received(queries.indicator_trend([CURRENT], now=now))


def test_kept_figures_are_not_taken_for_the_year_once_it_is_closed(kpi_world, monkeypatch):
    figure_services.indicator_figures([CURRENT])
    db.session.commit()
    add_need(kpi_world, NEXT + timedelta(days=300))  # late in the year, after the figures were kept
    monkeypatch.setattr(figure_services, "current_fiscal_year", lambda: CURRENT + 1)  # 1 April: FY2026 closes
    closed = figure_services.indicator_figures([CURRENT])
    assert closed == queries.indicator_trend([CURRENT])  # computed in full, with the late need
    db.session.commit()
    row = db.session.get(KpiStoredYear, CURRENT)
    assert row.stored_generation == row.generation != figure_services.LIVE
    assert figure_services.stored_years() == [CURRENT]


def test_the_current_year_is_no_closed_year_for_the_command(kpi_world):
    figure_services.indicator_figures([CURRENT])
    db.session.commit()
    assert CURRENT not in figure_services.stored_years() and CURRENT not in figure_services.stale_years()


def test_the_dashboard_says_as_of_when_and_a_closed_year_does_not(kpi_world, client, login_as, secretariat, app):
    login_as(secretariat)
    page = client.get(f"/kpis/manage/?year={CURRENT}").get_data(as_text=True)
    assert 'data-testid="figures-as-of"' in page and "5分ごとに計算し直します" in page
    assert 'data-testid="figures-as-of"' not in client.get(f"/kpis/manage/?year={YEAR}").get_data(as_text=True)
    app.config["KPI_CURRENT_YEAR_SECONDS"] = 0
    assert 'data-testid="figures-as-of"' not in client.get(f"/kpis/manage/?year={CURRENT}").get_data(as_text=True)
    assert db.session.scalar(select(KpiStoredYear.stored_generation).where(KpiStoredYear.fiscal_year == CURRENT)) == figure_services.LIVE


def test_two_workers_computing_the_current_year_at_once_both_succeed(app, kpi_world):
    """Two pages find the kept figures expired at the same moment: both compute and store them. The
    second store waits for the first and must not fail on the figures the first inserted (PostgreSQL:
    its DELETE cannot see rows committed after it started, so a plain INSERT would hit the primary key)."""
    from sqlalchemy import delete, insert

    from ..concurrency import while_holding

    from models.kpis import KpiStoredFigure

    figure_services.indicator_figures([CURRENT])
    db.session.commit()
    age_kept_figures(301)
    # This worker is storing the year again: its write transaction holds the rows, not yet committed.
    db.session.execute(delete(KpiStoredFigure).where(KpiStoredFigure.fiscal_year == CURRENT))
    db.session.execute(insert(KpiStoredFigure), [
        {"fiscal_year": CURRENT, "scope": figure_services.ALL, "indicator": key, "value": 0}
        for key in queries.indicator_trend([CURRENT])])
    db.session.flush()  # (its stamp on the year's row comes last: the other worker's DELETE is already under way)
    assert while_holding(app, lambda: figure_services.current_year_figures(CURRENT)) == []
    db.session.expire_all()
    assert figure_services.current_year_figures(CURRENT)[0][figure_services.ALL] == {
        key: values[CURRENT] for key, values in queries.indicator_trend([CURRENT]).items()}  # the other worker's, computed
