"""The member's dashboard panel: their groups, and join requests waiting for the secretariat or a chair."""
from __future__ import annotations

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.permissions import is_staff
from app.web.registry import Panel
from models import GroupMembership, MembershipStatus, WorkingGroup, db

from . import permissions as perms


PENDING_SHOWN = 8  # join requests linked from the secretariat's panel (the count says how many wait)


def my_groups_panel(user):
    locale = str(get_locale() or "ja")
    if is_staff(user):
        waiting = GroupMembership.status == MembershipStatus.PENDING
        count = db.session.scalar(select(func.count()).select_from(GroupMembership).where(waiting))
        pending = db.session.scalars(select(GroupMembership).where(waiting).options(joinedload(GroupMembership.group))
                                     .order_by(GroupMembership.id).limit(PENDING_SHOWN)) if count else []
        links = [(_("Requests for %(group)s", group=m.group.display_name(locale)), url_for("groups.members", group_id=m.group_id))
                 for m in pending]
        links.append((_("Working-group activity"), url_for("groups.activity")))
        return Panel(title=_("Join requests to working groups"), links=links, count=count, order=30)
    group_ids = {m.group_id for m in perms.active_memberships_of(user)}
    groups = db.session.scalars(select(WorkingGroup).where(WorkingGroup.id.in_(group_ids)).order_by(WorkingGroup.id)).all() \
        if group_ids else []
    links = [(g.display_name(locale), url_for("groups.detail", group_id=g.id)) for g in groups]
    if groups:
        links.append((_("Subscribe to your meetings calendar"), url_for("groups.calendar_settings")))
    else:
        links.append((_("Browse working groups"), url_for("groups.index")))
    return Panel(title=_("My working groups"), links=links, count=len(groups), order=30)
