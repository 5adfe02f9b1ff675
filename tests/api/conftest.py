"""API test helpers: tokens for any user, a JSON client that sends them, and the objects most tests need."""
from __future__ import annotations

import pytest

from app.api.token_services import create_token
from models import (
    Confidentiality,
    GroupAxis,
    GroupMembership,
    MembershipStatus,
    NeedStatus,
    RegulatoryNeed,
    Role,
    TokenScope,
    WorkingGroup,
    db,
)


@pytest.fixture
def token_for():
    """`token_for(user, scope)`: a new token's secret (write access unless told otherwise)."""

    def make(user, scope: TokenScope = TokenScope.WRITE, name: str = "test system") -> str:
        _token, secret = create_token(user, name, scope)
        db.session.commit()
        return secret

    return make


class Api:
    def __init__(self, client) -> None:
        self.client = client

    def call(self, method: str, path: str, token: str | None = None, *, json=None, lang: str | None = None,
             headers: dict | None = None, **kwargs):
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        if lang is not None:
            sent["Accept-Language"] = lang
        return self.client.open(f"/api/v1{path}", method=method, json=json, headers=sent, **kwargs)

    def get(self, path, token=None, **kwargs):
        return self.call("GET", path, token, **kwargs)

    def post(self, path, token=None, **kwargs):
        return self.call("POST", path, token, **kwargs)

    def patch(self, path, token=None, **kwargs):
        return self.call("PATCH", path, token, **kwargs)


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def other_member(make_user):
    """A member of another organisation."""
    return make_user(Role.MEMBER, email="other@example.org", is_org_admin=True)


@pytest.fixture
def make_need():
    def make(submitter, *, status=NeedStatus.RECEIVED, confidentiality=Confidentiality.CONFIDENTIAL, **fields):
        values = dict(title="ドローンの目視外飛行の許可手続を簡素化したい", business="山間部へドローンで物資を届けたい",
                      obstacle="目視外飛行の許可に時間がかかる", relief="エリア単位での包括申請", law_name="航空法",
                      public_summary="ドローン物流の手続簡素化")
        values.update(fields)
        need = RegulatoryNeed(status=status, confidentiality=confidentiality, submitter=submitter,
                              organisation_id=submitter.organisation_id, **values)
        db.session.add(need)
        db.session.commit()
        return need

    return make


@pytest.fixture
def make_group():
    def make(name: str = "水素・GX部会", member=None) -> WorkingGroup:
        group = WorkingGroup(name_ja=name, name_en="Hydrogen & GX", axis=GroupAxis.INDUSTRY, summary_ja="水素の部会")
        db.session.add(group)
        if member is not None:
            db.session.add(GroupMembership(group=group, user=member, status=MembershipStatus.ACTIVE))
        db.session.commit()
        return group

    return make


@pytest.fixture(autouse=True)
def _request_context(app):
    """Services translate their messages, which needs a request context outside views."""
    with app.test_request_context():
        yield
