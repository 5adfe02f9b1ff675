"""Regional challenges: government members post them; other organisations answer with proposals."""
from __future__ import annotations

import pytest

from models import ChallengeProposal, RegionalChallenge, Role, db


def test_a_government_member_posts_a_challenge(client, login_as, government_member, secretariat, post_form):
    login_as(government_member)
    response = post_form("/trials/challenges/new", {"title": "交通空白地の移動手段", "description": "バスが廃止された地区の足を確保したい。",
                                                    "tags": "mobility;交通空白"})
    assert response.status_code == 302
    challenge = db.session.scalars(db.select(RegionalChallenge)).one()
    assert challenge.organisation_id == government_member.organisation_id and challenge.tag_list == ["mobility", "交通空白"]


@pytest.mark.parametrize("role, expected", [(None, 302), (Role.MEMBER, 403), (Role.APPLICANT, 403)])
def test_only_government_members_and_the_secretariat_post_challenges(client, login_as, role, expected):
    if role:
        login_as(role)
    assert client.get("/trials/challenges/new").status_code == expected


def test_challenges_are_public(client, government_member, make_challenge):
    make_challenge(government_member, title="公開の地域課題")
    assert "公開の地域課題" in client.get("/trials/challenges").get_data(as_text=True)


def test_an_organisation_answers_with_a_proposal(client, login_as, government_member, member, make_challenge, post_form):
    challenge = make_challenge(government_member)
    login_as(member)
    response = post_form(f"/trials/challenges/{challenge.id}", {"summary": "除雪ロボット", "body": "夜間に自律除雪します。"})
    assert response.status_code == 302
    proposal = db.session.scalars(db.select(ChallengeProposal)).one()
    assert proposal.organisation_id == member.organisation_id


def test_the_posting_organisation_cannot_propose_to_itself(client, login_as, government_member, make_challenge, post_form):
    challenge = make_challenge(government_member)
    login_as(government_member)
    assert post_form(f"/trials/challenges/{challenge.id}", {"summary": "自作自演", "body": "x"}).status_code == 403


def test_anonymous_cannot_propose(client, government_member, make_challenge, post_form):
    challenge = make_challenge(government_member)
    assert post_form(f"/trials/challenges/{challenge.id}", {"summary": "匿名", "body": "x"}).status_code == 403
    assert db.session.scalars(db.select(ChallengeProposal)).first() is None


def test_proposals_are_seen_by_their_author_and_the_challenge_owner_only(client, login_as, government_member, member,
                                                                          make_user, make_challenge):
    from app.trials.challenge_services import submit_proposal
    from tests.conftest import AuthActions

    challenge = make_challenge(government_member)
    submit_proposal(member, challenge, "提案の要約", "社外秘の提案本文")
    db.session.commit()
    login_as(make_user(Role.MEMBER))
    assert "社外秘の提案本文" not in client.get(f"/trials/challenges/{challenge.id}").get_data(as_text=True)
    AuthActions(client).logout()
    login_as(government_member)
    assert "社外秘の提案本文" in client.get(f"/trials/challenges/{challenge.id}").get_data(as_text=True)
    AuthActions(client).logout()
    assert "社外秘の提案本文" not in client.get(f"/trials/challenges/{challenge.id}").get_data(as_text=True)
