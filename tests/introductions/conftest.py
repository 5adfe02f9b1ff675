"""The site, request and introduction most introduction tests start from (builders: tests/trial_builders.py)."""
from __future__ import annotations

import pytest

from models import Role, TrialRequestStatus, db


@pytest.fixture
def site_owner(make_user):
    return make_user(Role.MEMBER, email="owner@example.org", name="施設 管理者")


@pytest.fixture
def owned_site(make_site, site_owner):
    return make_site("石狩吹雪実験場", owner=site_owner.organisation, technologies="blizzard;winter_road;snow_removal",
                     features_ja="冬季の吹雪と視程障害を再現できる試験道路。除雪ロボットの走行試験に使える。")


@pytest.fixture
def startup_request(make_request, applicant):
    return make_request(applicant, title="除雪ロボットの実証", status=TrialRequestStatus.SCREENING,
                        verify="極秘: 吹雪の中で除雪ロボットの自律走行を検証", municipality="石狩市")


@pytest.fixture
def introduction(secretariat, startup_request, owned_site):
    """A sent introduction of the startup's request to the owned site."""
    from app.introductions.services import create_introductions, record_run
    from matching import Reasons, Result

    run = record_run(secretariat, trial_request=startup_request, filters={},
                     results=[Result(f"site:{owned_site.id}", "site", 80.0, Reasons(components={"text": 0.8}))])
    [created] = create_introductions(secretariat, run, [run.suggestions[0].id], "冬の試験道路をご紹介します。", send=True)
    db.session.commit()
    return created
