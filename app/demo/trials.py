"""Demo field-trial data: the public site list, a few site owners, requests, a regional challenge,
a proposal and an introduction."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from sqlalchemy import select

from models import (
    ChallengeProposal,
    Introduction,
    IntroductionStatus,
    RegionalChallenge,
    SiteAvailability,
    SiteKind,
    SupportKind,
    TrialRequest,
    TrialRequestStatus,
    TrialSite,
    db,
    utcnow,
)

from .base import DemoContext, find_or_add

SITES_CSV = Path(__file__).resolve().parents[1] / "trials" / "data" / "sites.csv"
# Demo assumption: a few sites are kept by demo member organisations (by site code).
DEMO_OWNERS = {"S029": "hokudai", "S015": "agri", "S013": "institute", "S008": "datacenter"}
WINTER_TAGS = ("winter", "snow_removal", "blizzard", "ice_surface", "extreme_cold", "cold_start")


def _periods(technologies: str, kind: str) -> list[tuple[int, int, str]]:
    """Demo availability: winter testing from December to March, fields from April to October."""
    if any(tag in technologies for tag in WINTER_TAGS):
        return [(12, 3, "冬季試験期間")]
    if kind == "smart_agriculture":
        return [(4, 10, "営農期間")]
    return []


def load_sites(context: DemoContext) -> dict[str, TrialSite]:
    sites: dict[str, TrialSite] = {}
    with SITES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            site = find_or_add(TrialSite, {"code": row["id"]}, name_ja=row["name_ja"])
            site.name_en, site.municipality = row["name_en"], row["municipality"]
            site.latitude = float(row["lat"]) if row["lat"] else None
            site.longitude = float(row["lon"]) if row["lon"] else None
            site.kind = SiteKind(row["kind"])
            site.features_ja, site.features_en = row["features_ja"], row["features_en"]
            site.technologies, site.source = row["technologies"], row["source"]
            owner_key = DEMO_OWNERS.get(row["id"])
            site.owner = context.organisations.get(owner_key) if owner_key else None
            site.periods = [SiteAvailability(start_month=a, end_month=b, note=n) for a, b, n in _periods(row["technologies"], row["kind"])]
            site.refresh_available_months()
            sites[row["id"]] = site
    return sites


def load_trials(context: DemoContext) -> None:
    sites = load_sites(context)
    db.session.flush()
    if db.session.scalar(select(TrialRequest).limit(1)) is not None:
        return
    orgs, users = context.organisations, context.users
    today = dt.date.today()
    drone = TrialRequest(
        organisation=orgs["drone"], submitted_by=users["member@demo.example"], status=TrialRequestStatus.INTRODUCED,
        title="山間部へのドローン定期配送（レベル4）の実証",
        verify="目視外（BVLOS）での定期配送ルートの安全性と、冬季の運航可否を検証したい。",
        technology="ドローン（UAV）、遠隔運航管理、気象センサー",
        site_features="配送拠点と住宅地の間に長い飛行ルートが取れる地域。ヘリポートまたは離着陸場。",
        municipality="上士幌町", period_start=today + dt.timedelta(days=60), period_end=today + dt.timedelta(days=150),
        duration="3か月", permits_expected="航空法のレベル4飛行の許可・承認", confidential=False,
        support=[SupportKind.SITE_COORDINATION.value, SupportKind.PERMITS.value, SupportKind.PR.value],
    )
    startup = TrialRequest(
        organisation=orgs["startup"], submitted_by=users["applicant@demo.example"], status=TrialRequestStatus.SCREENING,
        title="AIによる吹雪時の視程予測と道路情報提供の実証",
        verify="車載カメラと路側センサーの映像から吹雪による視程低下をAIで予測し、ドライバーへの情報提供の効果を検証する。",
        technology="画像認識AI、エッジコンピューティング、路側センサー",
        site_features="冬季に吹雪が発生する試験道路。電源と通信が使えること。",
        municipality="石狩市", radius_km=80, period_start=dt.date(today.year, 12, 1), period_end=dt.date(today.year + 1, 2, 28),
        duration="3か月", support=[SupportKind.SITE_COORDINATION.value, SupportKind.PARTNERS.value, SupportKind.FUNDING.value],
    )
    db.session.add_all([drone, startup])
    challenge = RegionalChallenge(
        organisation=orgs["sapporo"], posted_by=users["city@demo.example"],
        title="高齢者世帯の除雪負担を減らしたい",
        description="市内の郊外住宅地では高齢者世帯の間口除雪が大きな負担になっている。除雪ロボット、見守り、"
                    "地域の担い手マッチングなど、冬の暮らしを支える民間提案を求める。",
        municipality="札幌市", latitude=43.062, longitude=141.354, tags="除雪;見守り;ロボット",
        deadline=today + dt.timedelta(days=45),
    )
    db.session.add(challenge)
    db.session.add(ChallengeProposal(
        challenge=challenge, organisation=orgs["contractor"], summary="小型除雪ロボットの共同運用",
        body="町内会単位で小型除雪ロボットを共同運用し、夜間に間口除雪を行う。運用データを市と共有する。",
    ))
    db.session.flush()
    db.session.add(Introduction(
        trial_request=drone, requester_organisation_id=orgs["drone"].id, site=sites["S017"], target_organisation_id=None,
        message="上士幌町のドローン配送拠点（SkyHub）での定期配送ルート実証をご紹介します。", status=IntroductionStatus.INTRODUCED,
        introduced_at=utcnow(), created_by_id=users["secretariat@demo.example"].id,
    ))
