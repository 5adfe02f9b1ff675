"""An organisation's service area (fields on the organisation) reaches the library: an area-bound
partner outside the query's circle drops out; a partner working across Hokkaido stays."""
from __future__ import annotations

import pytest

from app.introductions.candidates import organisation_candidate
from app.introductions.matcher_services import MatchFilters, match_trial_request
from models import db


@pytest.fixture
def robot_maker(make_organisation):
    return make_organisation("雪氷ロボティクス", capabilities="除雪ロボット;自律走行;LiDAR", description="除雪ロボットの開発",
                             municipality="札幌市", latitude=43.06, longitude=141.35)


def _partners(startup_request):
    startup_request.latitude, startup_request.longitude = 43.17, 141.32  # 石狩市
    db.session.commit()
    return [r.id for r in match_trial_request(startup_request, MatchFilters(kind="organisation", radius_km=30))]


def test_a_partner_bound_to_a_far_area_drops_out(startup_request, robot_maker):
    assert f"org:{robot_maker.id}" in _partners(startup_request)
    robot_maker.service_scope, robot_maker.service_area = "municipalities", "函館市;北斗市"
    db.session.commit()
    assert f"org:{robot_maker.id}" not in _partners(startup_request)


def test_a_partner_bound_to_the_query_area_stays(startup_request, robot_maker):
    robot_maker.service_scope, robot_maker.service_area = "municipalities", "石狩市"
    db.session.commit()
    assert f"org:{robot_maker.id}" in _partners(startup_request)


@pytest.mark.parametrize("scope, area, radius, expected", [
    ("", "函館市", 50, {}),
    ("municipalities", "函館市；北斗市; ", None, {"service_area": ["函館市", "北斗市"]}),
    ("radius", "", 40, {"service_radius_km": 40.0}),
    ("hokkaido", "", None, {"service_scope": "hokkaido"}),
    ("nationwide", "", None, {"service_scope": "nationwide"}),
])
def test_the_fields_become_the_candidates_service_area(robot_maker, scope, area, radius, expected):
    robot_maker.service_scope, robot_maker.service_area, robot_maker.service_radius_km = scope, area, radius
    c = organisation_candidate(robot_maker)
    assert (c.service_area, c.service_radius_km, c.service_scope) == (
        expected.get("service_area", []), expected.get("service_radius_km"), expected.get("service_scope", ""))
