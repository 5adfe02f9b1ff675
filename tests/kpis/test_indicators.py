"""Every indicator against the hand-built world of conftest.py, whose answers were worked out by hand."""
from __future__ import annotations

import pytest

from app.kpis import queries
from app.kpis.labels import COMPUTED

from .conftest import EXPECTED, EXPECTED_GROUP_1, NOW, YEAR


def test_every_computed_indicator_has_a_hand_worked_answer():
    assert {i.key for i in COMPUTED} == set(EXPECTED)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_indicator_for_the_fiscal_year(kpi_world, key):
    trend = queries.indicator_trend([YEAR - 1, YEAR, YEAR + 1], now=NOW)
    assert trend[key][YEAR] == EXPECTED[key]


def test_the_boundary_minute_belongs_to_the_next_year(kpi_world):
    """1 April 00:00 Tokyo is still 31 March in UTC: it counts for FY2026, the minute before for FY2025."""
    trend = queries.indicator_trend([YEAR, YEAR + 1], now=NOW)
    assert trend["needs_received"][YEAR + 1] == 1
    assert trend["trial_requests_received"][YEAR + 1] == 1
    assert trend["members_joined"][YEAR + 1] == 1
    assert trend["challenges_posted"][YEAR + 1] == 1
    assert trend["meetings_held"][YEAR + 1] == 1
    assert trend["introductions_made"][YEAR + 1] == 1
    assert trend["trials_started"][YEAR + 1] == 1
    assert trend["packages_proposed"][YEAR + 1] == 1
    assert trend["measures_realised"][YEAR + 1] == 1


def test_the_year_before_sees_its_own_rows(kpi_world):
    trend = queries.indicator_trend([YEAR - 1], now=NOW)
    assert trend["needs_existing_measure"][YEAR - 1] == 1
    assert trend["trials_completed"][YEAR - 1] == 1
    assert trend["introductions_made"][YEAR - 1] == 1
    assert trend["median_days_to_proposal"][YEAR - 1] == 100.0  # submitted 100 days before its proposal
    assert trend["members_total"][YEAR - 1] == 2  # org1 and the one that withdrew later


def test_medians_of_an_empty_year_are_none(kpi_world):
    assert queries.median_days_to_proposal([2010, 2011]) == {2010: None, 2011: None}
    assert queries.median_days_to_introduction([2010]) == {2010: None}


def test_meetings_not_yet_held_do_not_count(kpi_world):
    from .conftest import MID

    assert queries.indicator_trend([YEAR], now=MID)["meetings_held"][YEAR] == 0


@pytest.mark.parametrize("key", sorted(EXPECTED_GROUP_1))
def test_indicator_per_working_group(kpi_world, key):
    figures = queries.group_indicators(YEAR, now=NOW)
    assert figures[kpi_world["g1"].id][key] == EXPECTED_GROUP_1[key]


def test_second_group_has_only_its_meeting(kpi_world):
    figures = queries.group_indicators(YEAR, now=NOW)
    assert figures[kpi_world["g2"].id] == {"meetings_held": 1, "meeting_attendance": 1}


def test_members_by_sector_and_category_at_year_end(kpi_world):
    assert sorted(queries.members_by_sector(YEAR), key=str) == sorted(
        [("industry", "startup", 1), ("academia", None, 1)], key=str)


def test_funnels_count_the_years_intake_by_current_state(kpi_world):
    assert queries.need_funnel(YEAR) == {"received": 2, "proposed": 3}
    assert queries.trial_funnel(YEAR) == {"running": 1, "matching": 1, "completed": 1}


def test_organisation_activity_counts_only_that_organisation(kpi_world):
    figures = queries.organisation_activity(kpi_world["org1"].id, YEAR)
    assert figures == {"trial_requests": 3, "needs": 5, "introductions_requested": 4, "introductions_received": 0,
                       "introductions_agreed": 1, "meetings_attended": 2, "attendances": 3}
    other = queries.organisation_activity(kpi_world["org2"].id, YEAR)
    assert other["trial_requests"] == 0 and other["introductions_received"] == 4


def test_organisation_activity_counts_each_introduction_once(make_organisation):
    """An introduction to the organisation's own trial site (both sides the same organisation) counts once,
    for its requests; an agreed introduction whose trial has started since still counts as agreed."""
    from models import Introduction, IntroductionStatus, db

    from .conftest import MID

    own, other = make_organisation("自社"), make_organisation("相手")
    rows = [
        (own, own, IntroductionStatus.AGREED),  # its own site
        (own, other, IntroductionStatus.TRIAL_STARTED),  # agreed, then the trial started
        (other, own, IntroductionStatus.INTRODUCED),
        (other, own, IntroductionStatus.DECLINED),
        (other, other, IntroductionStatus.AGREED),  # not its own
    ]
    for requester, target, status in rows:
        db.session.add(Introduction(requester_organisation_id=requester.id, target_organisation_id=target.id,
                                    status=status, introduced_at=MID))
    db.session.commit()
    figures = queries.organisation_activity(own.id, YEAR)
    assert (figures["introductions_requested"], figures["introductions_received"], figures["introductions_agreed"]) == (2, 2, 2)
    assert figures["introductions_requested"] + figures["introductions_received"] == 4  # four introductions involve it
