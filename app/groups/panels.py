"""The member's dashboard panel: their groups, and join requests waiting for the secretariat or a chair."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.permissions import is_staff
from app.web.registry import Panel
from models import GroupMembership, MembershipStatus, WorkingGroup, db

from . import permissions as perms


def my_groups_panel(user):
    if is_staff(user):
        pending = list(db.session.scalars(select(GroupMembership).where(GroupMembership.status == MembershipStatus.PENDING)))
        links = [(_("Requests for %(group)s", group=m.group.name_ja), url_for("groups.members", group_id=m.group_id)) for m in pending[:8]]
        links.append((_("Working-group activity"), url_for("groups.activity")))
        return Panel(title=_("Join requests to working groups"), links=links, count=len(pending), order=30)
    group_ids = sorted({m.group_id for m in perms.active_memberships_of(user)})
    groups = [db.session.get(WorkingGroup, gid) for gid in group_ids]
    links = [(g.name_en if user.locale == "en" and g.name_en else g.name_ja, url_for("groups.detail", group_id=g.id)) for g in groups]
    if groups:
        links.append((_("Subscribe to your meetings calendar"), url_for("groups.calendar_settings")))
    else:
        links.append((_("Browse working groups"), url_for("groups.index")))
    return Panel(title=_("My working groups"), links=links, count=len(groups), order=30)
