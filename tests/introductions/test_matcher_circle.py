"""A query with a circle: candidates without a location are shown apart ("no location on file"),
never as inside it; when nothing real lies inside, the page says so and shows the nearest matches
with their distance."""
from __future__ import annotations

import pytest

from models import MatchRun, db


def _set_language(client, db_user, lang):
    db_user.locale = lang
    db.session.commit()
    client.set_cookie("lang", lang)


@pytest.mark.parametrize("lang, heading", [("ja", "所在地の登録なし"), ("en", "No location on file")])
def test_a_site_without_coordinates_is_shown_apart(client, login_as, secretariat, startup_request, owned_site, make_site,
                                                   lang, heading):
    make_site("吹雪の除雪ロボット試験道路（座標なし）", municipality="", latitude=None, longitude=None,
              technologies="blizzard;snow_removal", features_ja="吹雪の中で除雪ロボットの走行試験ができる道路。")
    _set_language(client, secretariat, lang)
    login_as(secretariat)
    html = client.get(f"/introductions/match/request/{startup_request.id}?kind=site&radius_km=30").get_data(as_text=True)
    apart = html[html.index('data-testid="unlocated-matches"'):]
    assert heading in apart and "座標なし" in apart and "石狩吹雪実験場" not in apart
    assert html.index("石狩吹雪実験場") < html.index('data-testid="unlocated-matches"')
    assert 'data-testid="nothing-inside"' not in html


@pytest.mark.parametrize("lang, notice", [("ja", "半径20 km以内に該当する候補はありません"),
                                          ("en", "Nothing lies within 20 km. The nearest matches are shown")])
def test_nothing_inside_the_circle_shows_the_nearest_with_distance(client, login_as, secretariat, startup_request,
                                                                  make_site, lang, notice):
    startup_request.latitude, startup_request.longitude = 43.17, 141.32  # 石狩市: no site lies near it
    db.session.commit()
    make_site("帯広の除雪ロボット試験場", municipality="帯広市", latitude=42.92, longitude=143.2,
              technologies="blizzard;snow_removal", features_ja="吹雪の中で除雪ロボットの走行試験ができる。")
    _set_language(client, secretariat, lang)
    login_as(secretariat)
    html = client.get(f"/introductions/match/request/{startup_request.id}?kind=site&radius_km=20").get_data(as_text=True)
    assert notice in html and "帯広の除雪ロボット試験場" in html
    run = db.session.scalars(db.select(MatchRun)).one()
    [shown] = run.suggestions
    assert shown.reasons["distance_km"] > 100 and shown.reasons["within_radius"] is False
    assert f'{shown.reasons["distance_km"]} km' in html


def test_without_a_circle_nothing_is_set_apart(client, login_as, secretariat, startup_request, make_site):
    startup_request.radius_km = None
    db.session.commit()
    make_site("吹雪の除雪ロボット試験道路（座標なし）", municipality="", latitude=None, longitude=None,
              technologies="blizzard;snow_removal", features_ja="吹雪の中で除雪ロボットの走行試験ができる道路。")
    login_as(secretariat)
    html = client.get(f"/introductions/match/request/{startup_request.id}?kind=site").get_data(as_text=True)
    assert "座標なし" in html and 'data-testid="unlocated-matches"' not in html and 'data-testid="nothing-inside"' not in html
