"""Fixtures for the matching library: small catalogues built by hand."""
from __future__ import annotations

import pytest

from matching import Candidate, Index
from matching.needs import NeedIndex


def pytest_configure(config: pytest.Config) -> None:
    # The main app runs with filterwarnings = error; the library must stay warning-free.
    config.addinivalue_line("filterwarnings", "error")


SAPPORO = (43.062, 141.354)


@pytest.fixture(scope="session")
def catalogue() -> list[Candidate]:
    """Sites and organisations around Hokkaido in Japanese and English."""
    return [
        Candidate("s-drone", "山間部でドローンの目視外飛行を試験できる飛行場。冬季も利用可。", kind="site",
                  name="森の飛行試験場", tags=["ドローン", "目視外飛行"], lat=43.10, lon=141.40),
        Candidate("s-drone-far", "ドローンの目視外飛行ができる広い飛行場。", kind="site",
                  name="遠くの飛行場", tags=["ドローン"], lat=42.30, lon=143.30),
        Candidate("s-summer", "ドローン飛行場。夏季のみ開放。", kind="site", name="夏の飛行場",
                  tags=["ドローン"], lat=43.07, lon=141.36,
                  available=[("2027-05-01", "2027-10-31")]),
        Candidate("s-partial", "ドローン飛行場。1月のみ。", kind="site", name="一月の飛行場",
                  tags=["ドローン"], lat=43.08, lon=141.37,
                  available=[("2027-01-01", "2027-01-31")]),
        Candidate("s-hydrogen", "水素ステーションと燃料電池トラックの試験ができる港湾地区。", kind="site",
                  name="港の水素拠点", tags=["水素"], lat=42.63, lon=141.60),
        Candidate("o-drone", "We operate UAVs for inspection all over Hokkaido.", kind="organisation",
                  name="Sky Ops", tags=["drone"], lat=43.06, lon=141.35),
        Candidate("o-farm", "空知の農業協同組合。水田の実証に協力します。", kind="organisation",
                  name="空知農協", tags=["水田"], lat=43.20, lon=141.78),
        Candidate("o-generic", "AI・IoT・水素・5Gなど何でも歓迎します。", kind="organisation",
                  name="なんでも推進会議", lat=43.06, lon=141.35),
    ]


@pytest.fixture(scope="session")
def index(catalogue: list[Candidate]) -> Index:
    """The catalogue indexed once per session."""
    return Index.build(catalogue)


@pytest.fixture(scope="session")
def needs() -> list[dict]:
    """Regulatory needs: two duplicate groups (one across languages) and unrelated ones."""
    return [
        {"id": "n1", "text": "ドローンの目視外飛行の許可を飛行経路ごとではなくエリア単位で出してほしい。",
         "tags": ["航空法", "ドローン"]},
        {"id": "n2", "text": "Please allow area-wide approval of BVLOS drone flights instead of per-route "
                             "permits under the Civil Aeronautics Act.", "tags": ["Civil Aeronautics Act"]},
        {"id": "n3", "text": "無人航空機の目視外飛行について、経路ごとの申請をやめエリアで許可してほしい。",
         "tags": ["航空法"]},
        {"id": "n4", "text": "水素ステーションの圧縮水素の貯蔵量の上限を緩和してほしい。", "tags": ["高圧ガス保安法"]},
        {"id": "n5", "text": "Raise the cap on compressed hydrogen stored at refuelling stations.",
         "tags": ["High Pressure Gas Safety Act"]},
        {"id": "n6", "text": "農地に小さな通信用の柱を立てるだけで農地転用の許可がいるのを改めてほしい。",
         "tags": ["農地法"]},
        {"id": "n7", "text": "外国人エンジニアの在留資格の審査を早くしてほしい。", "tags": ["在留資格"]},
    ]


@pytest.fixture(scope="session")
def need_index(needs: list[dict]) -> NeedIndex:
    """The needs indexed once per session."""
    return NeedIndex.build([Candidate.from_dict(n) for n in needs])
