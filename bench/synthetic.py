"""A seeded synthetic catalogue of plausible Japanese/English site, partner and need texts."""
from __future__ import annotations

import datetime as dt
import random

PLACES = [("札幌市", 43.062, 141.354), ("苫小牧市", 42.634, 141.605), ("旭川市", 43.771, 142.365),
          ("帯広市", 42.924, 143.196), ("函館市", 41.769, 140.729), ("釧路市", 42.985, 144.381),
          ("岩見沢市", 43.196, 141.776), ("室蘭市", 42.315, 140.974), ("北見市", 43.804, 143.894),
          ("稚内市", 45.415, 141.673), ("大樹町", 42.497, 143.277), ("石狩市", 43.171, 141.315),
          ("江差町", 41.869, 140.127), ("上士幌町", 43.233, 143.297), ("ニセコ町", 42.805, 140.687)]
TOPICS_JA = ["ドローン", "無人航空機", "水素", "燃料電池", "自動運転", "配送ロボット", "スマート農業",
             "洋上風力", "ローカル5G", "蓄電池", "データセンター", "ロケット", "養殖", "遠隔医療",
             "バイオガス", "除雪", "林業", "漁業", "観光", "物流"]
TOPICS_EN = ["drone", "UAV", "hydrogen", "fuel cell", "autonomous driving", "delivery robot",
             "smart agriculture", "offshore wind", "local 5G", "battery", "data centre", "rocket",
             "aquaculture", "telemedicine", "biogas", "snow removal", "forestry", "fishery", "tourism",
             "logistics"]
SETTINGS_JA = ["山間部", "海上", "水田", "畑", "港湾", "公道", "テストコース", "工業団地", "空港", "牧場",
               "森林", "市街地", "離島", "スキー場", "河川敷"]
SETTINGS_EN = ["mountain forest", "sea area", "paddy field", "upland field", "port", "public road",
               "test course", "industrial park", "airport", "dairy farm", "river bank", "city centre"]
CONDITIONS_JA = ["積雪環境", "冬季", "夜間", "強風", "極低温", "凍結路面", "濃霧", "夏季"]
CONDITIONS_EN = ["snow", "winter", "night", "strong wind", "extreme cold", "icy roads", "fog", "summer"]
ACTIVITIES_JA = ["実証実験", "試験飛行", "長期運用試験", "データ取得", "性能評価", "遠隔監視", "点検"]
ACTIVITIES_EN = ["field trials", "test flights", "long-term operation tests", "data collection",
                 "performance evaluation", "remote monitoring", "inspection"]
KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
LATIN = ["Nord", "Sky", "Hok", "Snow", "Blue", "Terra", "Aero", "Mare", "Kita", "Frontier", "Polar"]


def _name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "".join(rng.choice(KANA) for _ in range(rng.randint(3, 6))) + rng.choice(["株式会社", "研究所", "合同会社", "協同組合"])
    return f"{rng.choice(LATIN)}{rng.choice(LATIN).lower()} {rng.choice(['Inc.', 'Labs', 'Works', 'Systems'])}"


def text(rng: random.Random, english: bool | None = None) -> tuple[str, list[str]]:
    """One description of about 200 characters and its tags."""
    english = rng.random() < 0.3 if english is None else english
    k = rng.randrange(len(TOPICS_JA))
    place = rng.choice(PLACES)[0]
    num = rng.randint(2, 400)
    if english:
        parts = [f"{_name(rng)} offers {rng.choice(SETTINGS_EN)} near {place} for {TOPICS_EN[k]} "
                 f"{rng.choice(ACTIVITIES_EN)} in {rng.choice(CONDITIONS_EN)}.",
                 f"About {num} ha, {rng.choice(TOPICS_EN)} and {rng.choice(TOPICS_EN)} projects welcome.",
                 f"Staff support {rng.choice(ACTIVITIES_EN)} and permits; contact {_name(rng)}.",
                 f"Open {rng.randint(3, 12)} months a year, {rng.randint(1, 60)} km from {rng.choice(PLACES)[0]}."]
        tags = [TOPICS_EN[k], rng.choice(CONDITIONS_EN)]
    else:
        parts = [f"{place}の{rng.choice(SETTINGS_JA)}で{TOPICS_JA[k]}の{rng.choice(ACTIVITIES_JA)}ができる。",
                 f"{rng.choice(CONDITIONS_JA)}での{rng.choice(ACTIVITIES_JA)}の実績があり、約{num}haの敷地を持つ。",
                 f"{rng.choice(TOPICS_JA)}や{rng.choice(TOPICS_JA)}の案件も歓迎。{_name(rng)}と連携し、"
                 f"{rng.choice(SETTINGS_JA)}での{rng.choice(ACTIVITIES_JA)}を支援する。",
                 f"{rng.choice(PLACES)[0]}から約{rng.randint(1, 90)}km、年間{rng.randint(3, 12)}か月利用でき、"
                 f"{rng.choice(CONDITIONS_JA)}の{rng.choice(SETTINGS_JA)}や{rng.choice(TOPICS_JA)}の設備もある。"]
        tags = [TOPICS_JA[k], rng.choice(CONDITIONS_JA)]
    return "".join(parts) if not english else " ".join(parts), tags


def candidates(n: int, seed: int = 42, kind: str | None = None) -> list[dict]:
    """``n`` sites/organisations (or needs when ``kind="need"``) as CLI-style dicts."""
    rng = random.Random(seed)
    out = []
    base = dt.date(2026, 4, 1)
    for i in range(n):
        body, tags = text(rng)
        place, lat, lon = rng.choice(PLACES)
        k = kind or rng.choice(["site", "organisation"])
        d = {"id": f"{k[0]}{i:06d}", "kind": k, "name": _name(rng), "text": body, "tags": tags,
             "municipality": place, "lat": lat + rng.uniform(-0.3, 0.3), "lon": lon + rng.uniform(-0.4, 0.4)}
        if k == "site" and rng.random() < 0.5:
            a = base + dt.timedelta(days=rng.randrange(0, 300))
            d["available"] = [[a.isoformat(), (a + dt.timedelta(days=rng.randrange(30, 240))).isoformat()]]
        out.append(d)
    return out


def queries(n: int, seed: int = 7) -> list[dict]:
    """``n`` trial requests with a point, a radius, and often a period."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        body, tags = text(rng)
        _, lat, lon = rng.choice(PLACES)
        q = {"id": f"q{i:04d}", "text": body[:160], "tags": tags[:1], "lat": lat, "lon": lon,
             "radius_km": rng.choice([30, 60, 120])}
        if rng.random() < 0.6:
            q["period"] = ["2027-01-10", "2027-02-28"]
        out.append(q)
    return out
