"""Business rules for regional challenges (地域課題) and the proposals (民間提案) that answer them."""
from __future__ import annotations

import logging
from typing import Any

from app.auth.queries import organisation_users, secretariat_users
from app.core import audit
from app.notifications.services import N_, notify
from app.permissions import Refused
from models import ChallengeProposal, RegionalChallenge, User, db

from .permissions import can_post_challenge, can_propose

log = logging.getLogger(__name__)


def post_challenge(actor: User, values: dict[str, Any]) -> RegionalChallenge:
    if not can_post_challenge(actor):
        raise Refused()  # only government members and the secretariat post regional challenges
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    challenge = RegionalChallenge(organisation_id=actor.organisation_id, posted_by=actor, **fields)
    db.session.add(challenge)
    db.session.flush()
    audit.record("challenge.posted", challenge, actor=actor)
    for user in secretariat_users():
        if user.id != actor.id:
            notify(user, N_("New regional challenge: %(title)s"), link=f"/trials/challenges/{challenge.id}", title=challenge.title)
    return challenge


def submit_proposal(actor: User, challenge: RegionalChallenge, summary: str, body: str) -> ChallengeProposal:
    if not can_propose(actor, challenge):
        raise Refused()  # may not propose on this challenge
    proposal = ChallengeProposal(challenge=challenge, organisation_id=actor.organisation_id, submitted_by=actor,
                                 summary=summary, body=body)
    db.session.add(proposal)
    db.session.flush()
    audit.record("challenge.proposal", challenge, actor=actor, proposal_id=proposal.id)
    for user in organisation_users(challenge.organisation_id) + secretariat_users():
        notify(user, N_("A new proposal answers the regional challenge \"%(title)s\""),
               link=f"/trials/challenges/{challenge.id}", title=challenge.title)
    return proposal
