"""Regional-challenge pages: the list, posting a challenge, its detail and proposals."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.permissions import require
from app.web.loaders import get_visible_or_404
from app.web.pagination import paginate
from models import RegionalChallenge, db

from .blueprint import bp
from .challenge_services import post_challenge, submit_proposal
from .forms import ChallengeForm, ProposalForm
from .labels import CHALLENGE_STATUS_LABELS, PROPOSAL_STATUS_LABELS
from .permissions import can_post_challenge, can_propose, can_view_challenge, visible_challenges, visible_proposals


@bp.route("/challenges")
def challenges():
    stmt = visible_challenges(current_user).order_by(RegionalChallenge.created_at.desc(), RegionalChallenge.id.desc())
    return render_template("trials/challenges.html", page=paginate(stmt), status_labels=CHALLENGE_STATUS_LABELS,
                           may_post=can_post_challenge(current_user))


@bp.route("/challenges/new", methods=["GET", "POST"])
@login_required
def new_challenge():
    require(can_post_challenge(current_user))
    form = ChallengeForm()
    if form.validate_on_submit():
        challenge = post_challenge(current_user, form.values())
        db.session.commit()
        flash(_("The regional challenge has been posted."), "success")
        return redirect(url_for("trials.challenge", challenge_id=challenge.id))
    return render_template("trials/challenge_form.html", form=form)


@bp.route("/challenges/<int:challenge_id>", methods=["GET", "POST"])
def challenge(challenge_id: int):
    challenge = get_visible_or_404(RegionalChallenge, challenge_id, current_user, can_view_challenge)
    form = ProposalForm()
    if form.validate_on_submit():
        require(can_propose(current_user, challenge))
        submit_proposal(current_user, challenge, form.summary.data.strip(), form.body.data.strip())
        db.session.commit()
        flash(_("Your proposal has been sent."), "success")
        return redirect(url_for("trials.challenge", challenge_id=challenge_id))
    proposals = list(db.session.scalars(visible_proposals(current_user, challenge)))
    return render_template("trials/challenge.html", challenge=challenge, form=form, proposals=proposals,
                           status_labels=CHALLENGE_STATUS_LABELS, proposal_labels=PROPOSAL_STATUS_LABELS,
                           may_propose=can_propose(current_user, challenge))
