"""Service areas and named places: the gazetteer, area restrictions read from text in both languages
or given as a field, area-bound candidates outside the query's circle or named area, and relevance
first (weak candidates listed on distance, period or support alone)."""
from __future__ import annotations

import pytest

from matching import Candidate, Index, Query
from matching.places import Gazetteer, default_gazetteer

OBIHIRO = (42.924, 143.196)
TOMAKOMAI = (42.634, 141.605)

TRACTOR = "ロボットトラクターの販売と整備、実証機の運搬を引き受ける農機販売店。"
TRACTOR_EN = "Tractor dealer: we sell and service robot tractors and haul trial machines on our own low-loader."


def test_the_gazetteer_is_shipped_with_its_rows() -> None:
    g = default_gazetteer()
    kinds = [p.kind for p in g.places.values()]
    assert len(g.municipalities) == 179 and kinds.count("subprefecture") == 14 and kinds.count("region") == 4
    assert len(g.lookup("十勝")) == 19 and g.lookup("Tokachi") == g.lookup("十勝管内") == g.lookup("十勝総合振興局")
    assert g.lookup("倶知安町") == g.lookup("Kutchan") == {"倶知安町"}
    # A name shared by a city and its sub-prefecture is read as the larger place.
    assert g.lookup("Kushiro") >= {"釧路市", "釧路町", "根室市"} - {"根室市"} and "釧路市" in g.lookup("Kushiro")


@pytest.mark.parametrize("text, inside, outside", [
    ("We operate robots only inside Asahikawa city and take no work elsewhere.", {"旭川市"}, {"札幌市"}),
    ("We run trucks only within the Kushiro and Nemuro region.", {"釧路市", "根室市", "別海町"}, {"苫小牧市"}),
    ("Our vessels cover only the Pacific coast between Tomakomai and Erimo.", {"苫小牧市", "えりも町"}, {"江差町"}),
    ("北見の農機販売会社。対応エリアはオホーツク管内のみ。", {"北見市", "網走市"}, {"帯広市"}),
    ("運行エリアは釧路市内に限られ、他地域の実証は受けていない。", {"釧路市"}, {"釧路町", "帯広市"}),
    ("組合員の紹介は、上川管内の案件に限る。", {"旭川市", "富良野市"}, {"岩見沢市"}),
    ("滝川市の自社データセンターだけを運営する会社。", {"滝川市"}, {"札幌市"}),
])
def test_area_restrictions_are_read_from_text_in_both_languages(text: str, inside: set[str], outside: set[str]) -> None:
    area = default_gazetteer().restricted_area(text)
    assert inside <= area and not (outside & area)


@pytest.mark.parametrize("text", [
    "We service robot tractors in Tokachi and Kamikawa.",  # places, but no restriction
    "帯広の農機販売店。十勝管内を中心に対応しています。",
    "Our only goal is safe flights; the date of the trial is open.",  # "only" without a place; "date" is a word
    "清水で洗浄し、大空の下で豊富な経験を活かす。",  # town names that are common words need 町
])
def test_texts_without_a_restriction_are_not_area_bound(text: str) -> None:
    assert default_gazetteer().restricted_area(text) == frozenset()


def test_queries_name_their_area_and_explicit_areas_are_kept_with_a_circle() -> None:
    g = default_gazetteer()
    words, area = g.named_area("空知の水田で実証したい")
    assert words == ["空知"] and "岩見沢市" in area and "旭川市" not in area
    words, area = g.named_area("a buoy off the Sea of Japan coast (Hiyama area)")
    assert words == ["Hiyama"] and "江差町" in area
    assert g.named_area("十勝管内で自動運転バス", explicit_only=True)[0] == ["十勝管内"]
    assert g.named_area("within 30 km of Tomakomai", explicit_only=True)[0] == []  # a centre, not an area
    lat, lon = g.point(g.named_area("Hiyama area")[1])
    assert 41.5 < lat < 42.5 and 139.5 < lon < 140.5


def _dealers() -> list[Candidate]:
    return [
        Candidate("o-tokachi", TRACTOR, kind="organisation", name="十勝農機", lat=42.93, lon=143.20),
        Candidate("o-text-ja", TRACTOR + "対応エリアはオホーツク管内のみ。", kind="organisation", name="北見農機",
                  lat=43.80, lon=143.89),
        Candidate("o-text-en", TRACTOR_EN + " Our service area is the Furano basin only (Furano).",
                  kind="organisation", name="Furano Tractors", lat=43.342, lon=142.383),
        Candidate("o-field", TRACTOR, kind="organisation", name="釧路農機", lat=42.99, lon=144.38,
                  service_area=["釧路・根室"]),
        Candidate("o-field-in", TRACTOR, kind="organisation", name="芽室農機", lat=42.91, lon=143.05,
                  service_area=["芽室町", "帯広市"]),
        Candidate("o-radius", TRACTOR, kind="organisation", name="旭川農機", lat=43.77, lon=142.36,
                  service_radius_km=40),
        Candidate("o-radius-big", TRACTOR, kind="organisation", name="広域農機", lat=43.77, lon=142.36,
                  service_radius_km=120),
        Candidate("o-all", TRACTOR + "対応エリアは札幌市内のみ。", kind="organisation", name="全道農機",
                  lat=43.06, lon=141.35, service_scope="hokkaido"),
        Candidate("o-far-free", TRACTOR, kind="organisation", name="札幌農機", lat=43.06, lon=141.35),
    ]


def test_area_bound_candidates_outside_the_circle_drop_out_from_field_and_text() -> None:
    index = Index.build(_dealers())
    got = {r.id: r for r in index.rank(Query(text="ロボットトラクター 運搬 整備", lat=OBIHIRO[0], lon=OBIHIRO[1],
                                              radius_km=60), limit=20)}
    # Bound elsewhere (text in Japanese, text in English, field of places, field radius): dropped.
    assert not {"o-text-ja", "o-text-en", "o-field", "o-radius"} & set(got)
    # Bound inside, reaching in with a large radius, all Hokkaido by field, or not bound at all: kept.
    assert {"o-tokachi", "o-field-in", "o-radius-big", "o-all", "o-far-free"} <= set(got)
    assert got["o-field-in"].reasons.service_area == ["帯広市", "芽室町"]
    assert got["o-tokachi"].reasons.service_area is None
    # The same candidates without a circle are all there: only the circle excludes.
    assert len(index.rank(Query(text="ロボットトラクター 運搬 整備"), limit=20)) == len(_dealers())


def test_a_query_naming_an_area_without_a_point_keeps_only_candidates_bound_there() -> None:
    index = Index.build(_dealers() + [
        Candidate("s-tokachi", "ロボットトラクターの実証圃場", kind="site", municipality="芽室町", lat=42.91, lon=143.05),
        Candidate("s-kamikawa", "ロボットトラクターの実証圃場", kind="site", municipality="美瑛町", lat=43.59, lon=142.47),
        Candidate("s-nowhere", "ロボットトラクターの実証圃場", kind="site"),
    ])
    for text in ("十勝でロボットトラクターの運搬と整備を頼みたい", "robot tractor haul and service in Tokachi"):
        got = {r.id: r for r in index.rank(Query(text=text), limit=20)}
        assert "o-text-ja" not in got and "o-field" not in got and "o-text-en" not in got
        assert {"o-tokachi", "o-field-in", "o-far-free", "o-all"} <= set(got)
        assert "s-kamikawa" not in got and {"s-tokachi", "s-nowhere"} <= set(got)  # unknown place: kept
        assert got["o-tokachi"].reasons.query_area in (["十勝"], ["Tokachi"])


def test_explicit_area_in_a_query_with_a_circle_is_a_limit_too() -> None:
    bus = "レベル4の自動運転バスの運行を担うバス会社。"
    index = Index.build([
        Candidate("o-kamikawa", bus + "上川管内の路線のみ。", kind="organisation", lat=43.76, lon=142.36),
        Candidate("o-free", bus, kind="organisation", lat=43.76, lon=142.36),
    ])
    q = "十勝管内で自動運転バスの実証運行"
    # 上川 reaches an 80 km circle around Obihiro (南富良野町), but the query names 十勝管内.
    assert [r.id for r in index.rank(Query(text=q, lat=OBIHIRO[0], lon=OBIHIRO[1], radius_km=80))] == ["o-free"]
    assert {r.id for r in index.rank(Query(text="自動運転バスの実証運行", lat=OBIHIRO[0], lon=OBIHIRO[1],
                                           radius_km=80))} == {"o-kamikawa", "o-free"}


def test_a_gazetteer_from_another_file(tmp_path) -> None:
    path = tmp_path / "places.csv"
    path.write_text("code,name_ja,name_kana,name_romaji,kind,subprefecture_ja,subprefecture_en,region,lat,lon,"
                    "members,aliases,county_ja\n01100,札幌市,サッポロシ,Sapporo,city,石狩振興局,Ishikari,道央,43.06,141.35,,,\n",
                    encoding="utf-8")
    g = Gazetteer(path)
    assert g.restricted_area("札幌市内のみ") == {"札幌市"} and g.restricted_area("only in Sapporo") == {"札幌市"}


# -- relevance first ------------------------------------------------------------------------------
def _fillers() -> list[Candidate]:
    return [
        Candidate("o-drone", "ドローンの目視外飛行で送電線を点検する会社。冬季の山間部も飛ぶ。", kind="organisation",
                  lat=TOMAKOMAI[0], lon=TOMAKOMAI[1], support=["operations"]),
        Candidate("o-city", "苫小牧市の企画課。地域の観光と移住の相談窓口です。", kind="organisation",
                  lat=TOMAKOMAI[0], lon=TOMAKOMAI[1], support=["operations", "permits"]),
        Candidate("o-dc", "A data centre in Tomakomai offering colocation racks.", kind="organisation",
                  lat=TOMAKOMAI[0], lon=TOMAKOMAI[1], support=["operations"]),
    ]


@pytest.mark.parametrize("text", ["冬の山間部でドローンの目視外飛行による送電線点検を試したい",
                                  "Winter BVLOS drone inspection of power lines in the mountains"])
def test_no_candidate_is_listed_on_period_distance_or_support_alone(text: str) -> None:
    index = Index.build(_fillers())
    q = Query(text=text + " (苫小牧)", lat=TOMAKOMAI[0], lon=TOMAKOMAI[1], radius_km=30,
              period=("2027-01-10", "2027-02-20"), support=["operations"])
    got = index.rank(q, limit=10)
    assert got[0].id == "o-drone" and got[0].reasons.weak is None
    weak = {r.id: r for r in got[1:]}
    # Same place, always available, support offered: weak, with the reason, and far below.
    assert set(weak) == {"o-city", "o-dc"}
    assert all("little text relevance" in r.reasons.weak for r in weak.values())
    assert all(r.score < got[0].score / 2 for r in weak.values())
    # The place name shared with the query (苫小牧, Tomakomai) is no text relevance.
    assert index.explain(q, "o-city").reasons.weak is not None
    # A pure text query has nothing that could carry a candidate: nothing is marked.
    assert all(r.reasons.weak is None for r in index.rank(Query(text=text), limit=10))


def test_weak_candidates_come_after_every_real_match_whatever_their_score() -> None:
    cands = [Candidate("o-real", "ドローン点検の会社。" + "事務所。" * 40, kind="organisation", lat=42.0, lon=144.0),
             Candidate("o-near", "苫小牧市の観光案内所。", kind="organisation", lat=TOMAKOMAI[0], lon=TOMAKOMAI[1],
                       support=["operations"])]
    index = Index.build(cands)
    q = Query(text="ドローン点検 苫小牧", lat=TOMAKOMAI[0], lon=TOMAKOMAI[1], radius_km=30, support=["operations"])
    got = index.rank(q, limit=5)
    assert [r.id for r in got] == ["o-real", "o-near"] and got[1].reasons.weak


def test_service_area_fields_survive_json_and_a_saved_index(tmp_path) -> None:
    c = Candidate("o-f", TRACTOR, kind="organisation", lat=42.99, lon=144.38, service_area=["釧路・根室"],
                  service_radius_km=None, service_scope="")
    assert Candidate.from_dict(c.to_dict()) == c
    index = Index.build(_dealers())
    index.save(tmp_path / "i.npz")
    loaded = Index.load(tmp_path / "i.npz")
    q = Query(text="ロボットトラクター 運搬 整備", lat=OBIHIRO[0], lon=OBIHIRO[1], radius_km=60)
    assert [r.to_dict() for r in loaded.rank(q, limit=20)] == [r.to_dict() for r in index.rank(q, limit=20)]
