"""Builders for trial sites, trial requests and regional challenges (used by tests/trials and tests/introductions).

Registered for every test in tests/conftest.py (`pytest_plugins`)."""
from __future__ import annotations

import datetime as dt

import pytest

from models import (
    RegionalChallenge,
    Role,
    Sector,
    SiteAvailability,
    SiteKind,
    TrialRequest,
    TrialRequestStatus,
    TrialSite,
    db,
)


@pytest.fixture
def make_site():
    def make(name: str = "試験フィールド", *, owner=None, kind=SiteKind.TEST_ROAD, periods=(), **fields) -> TrialSite:
        fields.setdefault("municipality", "石狩市")
        fields.setdefault("latitude", 43.2)
        fields.setdefault("longitude", 141.35)
        site = TrialSite(name_ja=name, owner=owner, kind=kind, **fields)
        site.periods = [SiteAvailability(start_month=a, end_month=b) for a, b in periods]
        site.refresh_available_months()
        db.session.add(site)
        db.session.commit()
        return site

    return make


@pytest.fixture
def make_request():
    def make(user, *, title: str = "除雪ロボットの実証", status=TrialRequestStatus.SUBMITTED, confidential: bool = True,
             **fields) -> TrialRequest:
        fields.setdefault("verify", "吹雪の中で除雪ロボットが自律走行できるか検証したい。")
        trial_request = TrialRequest(organisation_id=user.organisation_id, submitted_by=user, title=title, status=status,
                                     confidential=confidential, **fields)
        db.session.add(trial_request)
        db.session.commit()
        return trial_request

    return make


@pytest.fixture
def government_member(make_user, make_organisation):
    org = make_organisation("テスト市", sector=Sector.GOVERNMENT, municipality="札幌市", latitude=43.06, longitude=141.35)
    return make_user(Role.MEMBER, email="city@example.org", organisation=org)


@pytest.fixture
def make_challenge():
    def make(user, title: str = "高齢者の除雪負担", **fields) -> RegionalChallenge:
        fields.setdefault("description", "高齢者世帯の除雪を支える仕組みが欲しい。")
        challenge = RegionalChallenge(organisation_id=user.organisation_id, posted_by=user, title=title, **fields)
        db.session.add(challenge)
        db.session.commit()
        return challenge

    return make


@pytest.fixture
def winter_period():
    today = dt.date.today()
    return dt.date(today.year, 12, 1), dt.date(today.year + 1, 2, 28)
