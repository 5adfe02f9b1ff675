"""A hand-built world with known answers for every indicator of fiscal year 2025, including rows on
both sides of the fiscal-year boundary (31 March 23:59 vs 1 April 00:00 Asia/Tokyo, stored as UTC)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from models import (
    AttendanceStatus, AuditEntry, EventKind, GroupMembership, IndustryCategory, Introduction, IntroductionStatus,
    Meeting, MeetingAttendance, MembershipStatus, NeedEvent, NeedStatus, OrganisationStatus, PackageStatus,
    ProposalPackage, RegionalChallenge, RegulatoryNeed, Role, Sector, StatusChange, TrialRequest, TrialRequestStatus,
    TrialResult, WorkingGroup, db,
)

TOKYO = ZoneInfo("Asia/Tokyo")
YEAR = 2025


def tokyo(*args) -> datetime:
    return datetime(*args, tzinfo=TOKYO).astimezone(timezone.utc)


FIRST = tokyo(2025, 4, 1, 0, 0)  # first minute of FY2025
BEFORE = tokyo(2025, 3, 31, 23, 59)  # last minute of FY2024
LAST = tokyo(2026, 3, 31, 23, 59)  # last minute of FY2025 (2026-03-31 14:59 UTC)
NEXT = tokyo(2026, 4, 1, 0, 0)  # first minute of FY2026 (still 31 March in UTC)
MID = tokyo(2025, 10, 15, 12, 0)
NOW = tokyo(2030, 1, 1)  # every meeting in the fixture has been held

# The answers, worked out by hand from the rows below.
EXPECTED = {
    "needs_received": 5, "measures_realised": 2, "needs_existing_measure": 1, "packages_proposed": 2,
    "trial_requests_received": 3, "trials_started": 1, "trials_completed": 1,
    "introductions_made": 4, "introductions_agreed": 1, "challenges_posted": 1, "challenges_matched": 1,
    "members_total": 2, "members_joined": 1, "members_withdrawn": 1,
    "meetings_held": 2, "meeting_attendance": 3,
    "median_days_to_proposal": 20.0, "median_days_to_introduction": 7.0,
}
EXPECTED_GROUP_1 = {"needs_received": 1, "trial_requests_received": 2, "trials_started": 1, "introductions_made": 3,
                    "introductions_agreed": 1,
                    "meetings_held": 1, "meeting_attendance": 2, "members_total": 1, "measures_realised": 1}



def source_reads(statements: list[str]) -> list[str]:
    """Statements that aggregate a source table of the indicators (not the stored figures)."""
    return [s for s in statements if "regulatory_needs" in s or "introductions" in s or "audit_entries" in s]

@pytest.fixture
def kpi_world(make_organisation, make_user):
    return build_kpi_world(make_organisation, make_user)


def build_kpi_world(make_organisation, make_user) -> dict:
    """The rows of the world (also used by tests/api/test_kpis.py)."""
    g1 = WorkingGroup(name_ja="水素部会", name_en="Hydrogen")
    g2 = WorkingGroup(name_ja="ドローン部会", name_en="Drones")
    db.session.add_all([g1, g2])
    # Members: joined before the year, on its last minute, on the next year's first minute, withdrew in it.
    org1 = make_organisation("老舗株式会社", sector=Sector.INDUSTRY, category=IndustryCategory.STARTUP, joined_at=BEFORE)
    org2 = make_organisation("北海道大学", sector=Sector.ACADEMIA, joined_at=LAST)
    make_organisation("来年度の会員", joined_at=NEXT)
    org4 = make_organisation("退会した会社", status=OrganisationStatus.WITHDRAWN, joined_at=BEFORE)
    db.session.add(StatusChange(organisation_id=org4.id, old_status=OrganisationStatus.ACTIVE,
                                new_status=OrganisationStatus.WITHDRAWN, created_at=MID))
    user = make_user(Role.MEMBER, organisation=org1, email="kpi-member@example.org")
    db.session.add(GroupMembership(group=g1, organisation_id=org1.id, status=MembershipStatus.ACTIVE, created_at=BEFORE))
    db.session.flush()

    def need(title, submitted_at, group=None, status=NeedStatus.RECEIVED):
        n = RegulatoryNeed(title=title, organisation_id=org1.id, submitter_id=user.id, status=status,
                           submitted_at=submitted_at, group_id=group.id if group else None)
        db.session.add(n)
        db.session.flush()
        return n

    def event(n, to_status, at):
        db.session.add(NeedEvent(need_id=n.id, kind=EventKind.STATUS, to_status=to_status, created_at=at))

    need("最終分", LAST, g1)
    need("初日分", FIRST)
    need("翌年度分", NEXT)
    need("前年度分", BEFORE)
    need("下書き", None, status=NeedStatus.DRAFT)
    # Realised: one need realised then rolled out (counts once), one rolled out on the first minute, one next year.
    a = need("実現A", BEFORE - timedelta(days=30), g1, NeedStatus.NATIONWIDE)
    event(a, NeedStatus.REALISED, LAST)
    event(a, NeedStatus.NATIONWIDE, MID)
    c = need("実現C", BEFORE - timedelta(days=30), status=NeedStatus.NATIONWIDE)
    event(c, NeedStatus.NATIONWIDE, FIRST)
    b = need("実現B", BEFORE - timedelta(days=30), status=NeedStatus.REALISED)
    event(b, NeedStatus.REALISED, NEXT)
    d = need("既存D", BEFORE - timedelta(days=30), status=NeedStatus.EXISTING_MEASURE)
    event(d, NeedStatus.EXISTING_MEASURE, MID)
    e = need("既存E", BEFORE - timedelta(days=60), status=NeedStatus.EXISTING_MEASURE)
    event(e, NeedStatus.EXISTING_MEASURE, BEFORE)
    # Receipt -> first proposal: 10, 20 and 40 days in FY2025 (median 20); a second proposal of the first
    # need does not count again, nor does one first proposed in FY2024.
    for days in (10, 20, 40):
        p = need(f"提案{days}", MID, status=NeedStatus.PROPOSED)
        event(p, NeedStatus.PROPOSED, MID + timedelta(days=days))
        if days == 10:
            event(p, NeedStatus.PROPOSED, MID + timedelta(days=60))
    old = need("前年度提案", BEFORE - timedelta(days=100), status=NeedStatus.PROPOSED)
    event(old, NeedStatus.PROPOSED, BEFORE)
    # Received in FY2025: the needs submitted on LAST, on FIRST and the three proposed ones (MID): 5.
    db.session.add_all([
        ProposalPackage(title="年度末提出", status=PackageStatus.SUBMITTED, submitted_on=date(2026, 3, 31)),
        ProposalPackage(title="年度初提出", status=PackageStatus.SUBMITTED, submitted_on=date(2025, 4, 1)),
        ProposalPackage(title="翌年度提出", status=PackageStatus.SUBMITTED, submitted_on=date(2026, 4, 1)),
        ProposalPackage(title="下書き", status=PackageStatus.DRAFT),
    ])

    def trial(title, created_at, group=None, status=TrialRequestStatus.SUBMITTED):
        t = TrialRequest(organisation_id=org1.id, submitted_by_id=user.id, title=title, created_at=created_at,
                         group_id=group.id if group else None, status=status)
        db.session.add(t)
        db.session.flush()
        return t

    t1 = trial("実証1", FIRST, g1, TrialRequestStatus.RUNNING)
    t2 = trial("実証2", NEXT, g1, TrialRequestStatus.RUNNING)
    t3 = trial("実証3", MID, g1, TrialRequestStatus.MATCHING)
    t4 = trial("実証4", LAST, None, TrialRequestStatus.COMPLETED)
    t0 = trial("実証0", BEFORE - timedelta(days=10), None, TrialRequestStatus.COMPLETED)
    for t, new, at in ((t1, "running", LAST), (t2, "running", NEXT), (t3, "agreed", MID), (t1, "agreed", MID)):
        db.session.add(AuditEntry(action="trial_request.status", object_type="trial_requests", object_id=t.id,
                                  details={"old": "x", "new": new}, created_at=at))
    db.session.add_all([
        TrialResult(trial_request_id=t4.id, verified="v", outcome="o", created_at=MID),
        TrialResult(trial_request_id=t0.id, verified="v", outcome="o", created_at=BEFORE),
    ])
    ch1 = RegionalChallenge(organisation_id=org2.id, title="除雪", description="d", created_at=LAST)
    ch2 = RegionalChallenge(organisation_id=org2.id, title="翌年度", description="d", created_at=NEXT)
    db.session.add_all([ch1, ch2])
    db.session.flush()

    def intro(at, trial_request=None, challenge=None, status=IntroductionStatus.INTRODUCED):
        i = Introduction(trial_request_id=trial_request.id if trial_request else None,
                         challenge_id=challenge.id if challenge else None, requester_organisation_id=org1.id,
                         target_organisation_id=org2.id, status=status, introduced_at=at,
                         created_at=at or MID)
        db.session.add(i)
        db.session.flush()
        return i

    # Trial request -> first introduction: t1 after 4 days (and again later), t3 after 10 days: median 7.
    i1 = intro(FIRST + timedelta(days=4), t1, status=IntroductionStatus.AGREED)
    intro(FIRST + timedelta(days=30), t1)
    intro(MID + timedelta(days=10), t3)
    intro(t0.created_at + timedelta(days=2), t0)  # FY2024 (before the boundary)
    intro(NEXT, t2)  # FY2026
    intro(None, t4, status=IntroductionStatus.SUGGESTED)  # never introduced
    intro(MID, challenge=ch1)  # the challenge matched...
    db.session.add(AuditEntry(action="introduction.agreed", object_type="introductions", object_id=i1.id, created_at=MID))
    db.session.add(AuditEntry(action="introduction.agreed", object_type="introductions", object_id=i1.id + 1000,
                              created_at=NEXT))
    # Introductions made in FY2025: t1 twice, t3 and the challenge's: 4 (3 in group 1).
    # Meetings: on the last minute (2 attended, 1 declined) and mid-year in g2 (1 attended); next year's does not count.
    people = [make_user(Role.MEMBER, organisation=org1) for _ in range(3)]
    m1 = Meeting(group=g1, title="年度末会合", starts_at=LAST, ends_at=LAST + timedelta(hours=1))
    m2 = Meeting(group=g2, title="秋の会合", starts_at=MID, ends_at=MID + timedelta(hours=1))
    m3 = Meeting(group=g1, title="新年度会合", starts_at=NEXT, ends_at=NEXT + timedelta(hours=1))
    db.session.add_all([m1, m2, m3])
    db.session.flush()
    db.session.add_all([
        MeetingAttendance(meeting_id=m1.id, user_id=people[0].id, status=AttendanceStatus.ATTENDED),
        MeetingAttendance(meeting_id=m1.id, user_id=people[1].id, status=AttendanceStatus.ATTENDED),
        MeetingAttendance(meeting_id=m1.id, user_id=people[2].id, status=AttendanceStatus.DECLINED),
        MeetingAttendance(meeting_id=m2.id, user_id=people[0].id, status=AttendanceStatus.ATTENDED),
        MeetingAttendance(meeting_id=m3.id, user_id=people[1].id, status=AttendanceStatus.ATTENDED),
    ])
    db.session.commit()
    return {"g1": g1, "g2": g2, "org1": org1, "org2": org2, "user": user}
