"""Every page costs what it shows: the SQL statements a page sends are the same with 5 and with 50 rows
of the kind it lists, or fewer (a guard against one query per row). Each case builds 5 rows, counts one warm
request, adds 45 more rows, counts again."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import count

import pytest

from models import (
    Confidentiality,
    GroupAxis,
    GroupMembership,
    GroupRole,
    Introduction,
    IntroductionStatus,
    MembershipStatus,
    NeedStatus,
    Notification,
    Organisation,
    OrganisationStatus,
    ProposalPackage,
    RegulatoryNeed,
    Role,
    Sector,
    SiteKind,
    TrialRequest,
    TrialRequestStatus,
    TrialSite,
    User,
    WorkingGroup,
    db,
)
from models.needs import OPEN_STATUSES

from .conftest import AuthActions
from .statements import statement_count

_serial = count(1)


@dataclass
class Scene:
    """The people and the group every page is seen through, and builders of N rows of each kind."""

    secretariat: User
    admin: User
    member: User
    group: WorkingGroup
    trial_request: TrialRequest
    need: RegulatoryNeed

    def organisation(self, **fields) -> Organisation:
        n = next(_serial)
        organisation = Organisation(name_ja=fields.pop("name_ja", f"水素テスト団体{n}"), status=OrganisationStatus.ACTIVE,
                                    sector=list(Sector)[n % len(Sector)], municipality=f"市{n % 7}",
                                    capability_tags={"technologies": [f"技術{n}", "水素"]}, **fields)
        db.session.add(organisation)
        return organisation

    def user(self, role=Role.MEMBER, organisation=None) -> User:
        n = next(_serial)
        user = User(email=f"qc{n}@example.org", name=f"利用者{n}", password_hash=self.secretariat.password_hash, role=role,
                    organisation=organisation if organisation is not None else
                    (self.organisation() if role in (Role.MEMBER, Role.APPLICANT) else None))
        db.session.add(user)
        return user

    def add(self, kind: str, n: int) -> None:
        for i in range(n):
            getattr(self, f"_{kind}")(i)
        db.session.commit()

    def _needs(self, i: int) -> None:
        submitter = self.user(Role.MEMBER)
        db.session.add(RegulatoryNeed(
            title=f"ドローン物流の規制 {i}", status=OPEN_STATUSES[i % len(OPEN_STATUSES)],
            confidentiality=list(Confidentiality)[i % len(Confidentiality)], submitter=submitter,
            organisation=submitter.organisation, business="除雪期の山間部へドローンで物資を届けたい",
            obstacle="目視外飛行の許可に時間がかかる", relief="エリア単位での包括申請", law_name="航空法",
            public_summary="ドローン物流の手続簡素化", tags="ドローン, 物流", group=self.group,
            assignee=self.secretariat if i % 2 else None))

    def _trial_requests(self, i: int) -> None:
        applicant = self.user(Role.APPLICANT)
        db.session.add(TrialRequest(organisation=applicant.organisation, submitted_by=applicant, title=f"除雪ロボットの実証 {i}",
                                    verify="吹雪の中で除雪ロボットが自律走行できるか検証したい。", confidential=bool(i % 2),
                                    status=TrialRequestStatus.SUBMITTED, group=self.group))

    def _memberships(self, i: int) -> None:
        user = self.user(Role.MEMBER)
        db.session.add(GroupMembership(group=self.group, user=user, role=GroupRole.MEMBER, requested_by=user,
                                       status=MembershipStatus.PENDING if i % 5 == 0 else MembershipStatus.ACTIVE))
        db.session.add(GroupMembership(group=self.group, organisation=user.organisation, role=GroupRole.MEMBER,
                                       requested_by=user, status=MembershipStatus.ACTIVE))

    def _join_requests(self, i: int) -> None:  # each to a group of its own
        user = self.user(Role.MEMBER)
        group = WorkingGroup(name_ja=f"部会{next(_serial)}", name_en="Group", axis=GroupAxis.LIVING, summary_ja="")
        db.session.add(GroupMembership(group=group, user=user, role=GroupRole.MEMBER, requested_by=user,
                                       status=MembershipStatus.PENDING))

    def _groups_joined(self, i: int) -> None:  # the scene's member in one more group
        group = WorkingGroup(name_ja=f"部会{next(_serial)}", name_en="Group", axis=GroupAxis.LIVING, summary_ja="")
        db.session.add(GroupMembership(group=group, organisation_id=self.member.organisation_id, role=GroupRole.MEMBER,
                                       requested_by=self.member, status=MembershipStatus.ACTIVE))

    def _organisations(self, i: int) -> None:
        self.user(Role.MEMBER, organisation=self.organisation(description="水素の貯蔵と輸送", capabilities="水素 燃料電池"))

    def _introductions(self, i: int) -> None:
        target = self.organisation()
        db.session.flush()
        db.session.add(Introduction(trial_request_id=self.trial_request.id, requester_organisation_id=self.member.organisation_id,
                                    target_organisation_id=target.id, message=f"ご紹介 {i}",
                                    status=IntroductionStatus.INTRODUCED, created_by_id=self.secretariat.id))

    def _users(self, i: int) -> None:
        self.user(list(Role)[i % len(Role)])

    def _notifications(self, i: int) -> None:
        db.session.add(Notification(recipient=self.member, message="Your need was received.", link=f"/needs/{i}"))

    def _packages(self, i: int) -> None:
        db.session.add(ProposalPackage(title=f"パッケージ {i}", created_by_id=self.secretariat.id))

    def _sites(self, i: int) -> None:
        owner = self.organisation()
        db.session.flush()
        db.session.add(TrialSite(name_ja=f"除雪試験道路 {i}", kind=SiteKind.TEST_ROAD, municipality="岩見沢市",
                                 owner_organisation_id=owner.id, features_ja="冬季の積雪路面でロボットを走らせられる",
                                 technologies="ロボット;除雪"))


@pytest.fixture
def scene(make_user) -> Scene:
    secretariat = make_user(Role.SECRETARIAT)
    admin = make_user(Role.ADMIN)
    member = make_user(Role.MEMBER, is_org_admin=True)
    group = WorkingGroup(name_ja="スマート除雪部会", name_en="Smart snow", axis=GroupAxis.LIVING, summary_ja="除雪")
    db.session.add(group)
    db.session.add(GroupMembership(group=group, user=member, role=GroupRole.MEMBER, status=MembershipStatus.ACTIVE,
                                   requested_by=member))
    applicant = make_user(Role.APPLICANT, organisation=member.organisation)
    trial_request = TrialRequest(organisation_id=member.organisation_id, submitted_by=applicant, title="除雪ロボットの実証",
                                 verify="吹雪の中で除雪ロボットが自律走行できるか検証したい。", technology="ロボット 除雪")
    need = RegulatoryNeed(title="ドローンの目視外飛行", status=NeedStatus.RECEIVED, submitter=member,
                          organisation_id=member.organisation_id, business="ドローンで物資を届けたい",
                          obstacle="目視外飛行の許可", relief="包括申請", law_name="航空法")
    db.session.add_all([trial_request, need])
    db.session.commit()
    return Scene(secretariat, admin, member, group, trial_request, need)


SIMILAR = "/needs/similar.json?title=ドローン物流&obstacle=目視外飛行の許可に時間がかかる&law=航空法"

# (page, who looks at it, the kind of row it lists or ranks)
PAGES = [
    ("/needs/manage/board", "secretariat", "needs"),
    ("/needs/manage/", "secretariat", "needs"),
    ("/needs/", "member", "needs"),
    ("/needs/manage/packages/", "secretariat", "packages"),
    ("/groups/{group}/members", "secretariat", "memberships"),
    ("/groups/{group}/members", "member", "memberships"),
    ("/groups/{group}", "member", "needs"),
    ("/groups/{group}", "secretariat", "trial_requests"),
    ("/dashboard", "secretariat", "needs"),
    ("/dashboard", "secretariat", "memberships"),
    ("/dashboard", "secretariat", "trial_requests"),
    ("/dashboard", "member", "introductions"),
    ("/dashboard", "secretariat", "join_requests"),
    ("/dashboard", "member", "groups_joined"),
    ("/members/", "member", "organisations"),
    ("/members/?q=水素", "member", "organisations"),
    ("/members/?tag=水素", "member", "organisations"),
    ("/introductions/", "member", "introductions"),
    ("/admin/users", "admin", "users"),
    ("/notifications/", "member", "notifications"),
    ("/trials/requests", "secretariat", "trial_requests"),
    ("/trials/requests?q=除雪", "secretariat", "trial_requests"),
    ("/needs/?q=ドローン", "member", "needs"),
    ("/needs/manage/?q=ドローン", "secretariat", "needs"),
    ("/needs/manage/packages/new", "secretariat", "needs"),
    ("/needs/manage/packages/new?q=ドローン", "secretariat", "needs"),
    (SIMILAR, "member", "needs"),
    (SIMILAR, "secretariat", "needs"),
    ("/needs/manage/{need}", "secretariat", "needs"),
    ("/introductions/match/request/{request}", "secretariat", "sites"),
]


@pytest.mark.parametrize(("path", "who", "kind"), PAGES, ids=[f"{p}-{w}-{k}" for p, w, k in PAGES])
def test_statements_do_not_grow_with_the_rows_listed(client, scene, path, who, kind):
    path = path.format(group=scene.group.id, need=scene.need.id, request=scene.trial_request.id)
    AuthActions(client).login(getattr(scene, who))
    scene.add(kind, 5)
    few = statement_count(client, path)
    scene.add(kind, 45)
    many = statement_count(client, path)
    # Never more with more rows (a few fewer is allowed: the matcher widens its retrieval when it finds few candidates).
    assert many <= few, f"{path} as {who}: {few} statements with 5 {kind}, {many} with 50"
