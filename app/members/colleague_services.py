"""Colleagues (同僚): invitations by e-mail with an expiring single-use link, removal, handing over the admin role."""
from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.auth.passwords import hash_password
from app.auth.services import end_all_sessions, find_user_by_email, normalise_email
from app.core import audit
from app.core.mail import send_mail
from app.notifications.services import N_, notify
from app.permissions import Refused
from models import Invitation, Organisation, Role, User, db, utcnow

from .permissions import can_manage_colleagues
from .services import MembershipError

log = logging.getLogger(__name__)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_colleague(actor: User, organisation: Organisation, email: str) -> tuple[Invitation, str]:
    """E-mail an invitation link; returns the invitation and its token (the token itself is never stored)."""
    if not can_manage_colleagues(actor, organisation):
        raise Refused(gettext("Only an administrator of this organisation can invite colleagues."))
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise MembershipError(gettext("This person already has an account. Ask the secretariat to move it to your organisation."))
    token = secrets.token_urlsafe(32)
    days = current_app.config["INVITATION_DAYS"]
    invitation = Invitation(organisation=organisation, email=email, invited_by=actor, token_hash=_digest(token),
                            expires_at=utcnow() + timedelta(days=days))
    db.session.add(invitation)
    db.session.flush()
    # Built from the configured base URL, never from the request's Host header.
    link = current_app.config["BASE_URL"] + url_for("members.accept_invitation", token=token, _external=False)
    with force_locale(actor.locale or "ja"):
        subject = gettext("%(name)s invites you to the Think & Do Tank platform", name=actor.name)
        body = gettext(
            "%(name)s invites you to join %(organisation)s on the Think & Do Tank platform.\n\n"
            "Open this link within %(days)s days to create your account:\n\n%(link)s",
            name=actor.name, organisation=organisation.name_ja, days=days, link=link,
        )
    send_mail(email, subject, body)
    audit.record("colleague.invited", invitation, actor=actor, email=email)
    return invitation, token


def usable_invitation(token: str) -> Invitation | None:
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _digest(token)))
    if invitation is None or not invitation.is_usable(utcnow()):
        return None
    return invitation


def accept_invitation(token: str, *, name: str, password: str, locale: str = "ja") -> User:
    """Create the invited person's account in the organisation. The link works once."""
    invitation = usable_invitation(token)
    if invitation is None:
        raise MembershipError(gettext("This invitation link is invalid, expired or already used."))
    if find_user_by_email(invitation.email) is not None:
        raise MembershipError(gettext("An account with this e-mail address already exists."))
    organisation = invitation.organisation
    user = User(email=invitation.email, name=name.strip(), password_hash=hash_password(password),
                role=Role.MEMBER if organisation.is_member else Role.APPLICANT, organisation=organisation, locale=locale)
    db.session.add(user)
    invitation.accepted_at = utcnow()
    db.session.flush()
    audit.record("colleague.joined", user, actor=user, invitation=invitation.id)
    for admin in organisation.admins:
        notify(admin, N_("%(name)s accepted your invitation and joined %(organisation)s."),
               link=f"/members/{organisation.id}/colleagues", name=user.name, organisation=organisation.name_ja, email=False)
    return user


def revoke_invitation(actor: User, invitation: Invitation) -> None:
    if not can_manage_colleagues(actor, invitation.organisation):
        raise Refused(gettext("Only an administrator of this organisation can invite colleagues."))
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        audit.record("colleague.invitation_revoked", invitation, actor=actor)


def pending_invitations(organisation: Organisation) -> list[Invitation]:
    stmt = select(Invitation).where(
        Invitation.organisation_id == organisation.id, Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow(),
    ).order_by(Invitation.created_at.desc())
    return list(db.session.scalars(stmt))


def remove_colleague(actor: User, organisation: Organisation, colleague: User) -> None:
    """Detach a person from the organisation: they keep a login but lose member access to it."""
    if not can_manage_colleagues(actor, organisation):
        raise Refused(gettext("Only an administrator of this organisation can remove colleagues."))
    if colleague.organisation_id != organisation.id:
        raise Refused(gettext("This person does not belong to this organisation."))
    if colleague.id == actor.id:
        raise MembershipError(gettext("You cannot remove yourself. Hand over the administrator role first."))
    if colleague.is_org_admin and len(organisation.admins) <= 1:
        raise MembershipError(gettext("The last administrator of an organisation cannot be removed."))
    colleague.organisation = None
    colleague.is_org_admin = False
    if colleague.role == Role.MEMBER:
        colleague.role = Role.APPLICANT
    end_all_sessions(colleague)
    audit.record("colleague.removed", colleague, actor=actor, organisation=organisation.id)
    notify(colleague, N_("You have been removed from %(organisation)s."), organisation=organisation.name_ja)
    db.session.flush()


def hand_over_admin(actor: User, organisation: Organisation, successor: User) -> None:
    """Make a colleague the organisation's administrator; an acting organisation admin steps down."""
    if not can_manage_colleagues(actor, organisation):
        raise Refused(gettext("Only an administrator of this organisation can hand over the role."))
    if successor.organisation_id != organisation.id or not successor.is_active_account:
        raise Refused(gettext("This person does not belong to this organisation."))
    if successor.id == actor.id:
        raise MembershipError(gettext("You are already the administrator."))
    successor.is_org_admin = True
    if actor.organisation_id == organisation.id:
        actor.is_org_admin = False
    audit.record("colleague.admin_handed_over", successor, actor=actor, organisation=organisation.id)
    notify(successor, N_("You are now the administrator of %(organisation)s on the platform."),
           link=f"/members/{organisation.id}/colleagues", organisation=organisation.name_ja)
    db.session.flush()
