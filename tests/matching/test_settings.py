"""Setting and object words (sea, mountain, indoor, paddy, apron …; cattle, vessel, truck …) in both
languages: they weigh more when the query names one, and a contradiction is a reason against."""
from __future__ import annotations

import pytest

from matching import Candidate, Index, Query
from matching.settings import default_settings


@pytest.mark.parametrize("text, groups", [
    ("送電線に沿って冬の山岳林でドローンを飛ばしたい", {"mountain"}),
    ("BVLOS flights over the frozen sea along the coast", {"sea"}),
    ("屋内のみの施設で、屋外での飛行はできない。", {"indoor"}),  # the negated clause names no setting
    ("The farm has no paddy fields. Upland wheat and potatoes.", {"upland"}),
    ("北海道の空港のエプロンで自動走行", {"apron"}),  # 北海道 is no sea
    ("We convert tugs and work boats; road vehicles such as trucks are outside our scope.", {"vessel"}),
    ("乳牛のふん尿からバイオガス", {"cattle"}),
])
def test_settings_and_objects_are_read_in_both_languages(text: str, groups: set[str]) -> None:
    assert default_settings().groups(text) == groups


CANDIDATES = [
    Candidate("s-mountain", "A BVLOS route for UAV flights along a power line through snowy mountain forest.", kind="site"),
    Candidate("s-sea", "冬季に流氷の海上でドローンの目視外飛行ができる平坦な回廊。送電線はない。", kind="site"),
    Candidate("s-none", "ドローンの目視外飛行の試験ができる飛行場。", kind="site"),
]


@pytest.mark.parametrize("text", ["山岳林の送電線に沿ってドローンの目視外飛行を試したい",
                                  "UAV BVLOS flights along power lines over mountain forest"])
def test_the_setting_asked_for_weighs_more_and_a_contradiction_counts_against(text: str) -> None:
    index = Index.build(CANDIDATES)
    got = {r.id: r for r in index.rank(Query(text=text), limit=5)}
    assert next(iter(got)) == "s-mountain"
    assert got["s-mountain"].reasons.settings_matched == ["mountain"]
    assert got["s-mountain"].reasons.components["setting"] == 1.0
    assert got["s-sea"].reasons.setting_conflicts == ["mountain ≠ sea"]
    assert got["s-none"].reasons.setting_conflicts is None  # says nothing of the setting: no conflict
    assert got["s-sea"].score < got["s-none"].score
    # Without a setting in the query there is no setting component and no conflict.
    plain = index.rank(Query(text="ドローンの目視外飛行"), limit=5)
    assert all("setting" not in r.reasons.components and r.reasons.setting_conflicts is None for r in plain)


def test_objects_contradict_across_languages() -> None:
    index = Index.build([
        Candidate("o-vessel", "Engineering firm converting tugs and work boats to hydrogen fuel-cell propulsion at the port.",
                  kind="organisation"),
        Candidate("o-truck", "燃料電池トラックで港から配送する物流会社。水素の充填にも対応。", kind="organisation"),
    ])
    got = {r.id: r for r in index.rank(Query(text="燃料電池トラックの実証。港からの配送と水素充填。"), limit=5)}
    assert got["o-vessel"].reasons.setting_conflicts == ["truck ≠ vessel"]
    assert got["o-truck"].score > got["o-vessel"].score
