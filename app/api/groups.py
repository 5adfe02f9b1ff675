"""/working-groups and their meetings: groups as the public list shows them; meetings for members only."""
from __future__ import annotations

from datetime import datetime

from flask_login import current_user
from pydantic import Field
from sqlalchemy import or_, select

from app.groups.permissions import can_view_group, can_view_meeting, can_view_members_only, visible_groups
from app.permissions import Refused
from app.web.loaders import get_visible_or_404
from models import GroupAxis, GroupStatus, Meeting, WorkingGroup

from .auth import PUBLIC, READ
from .operations import operation
from .schemas import PageQuery, ResponseModel, Text, page_model, page_of


class WorkingGroupOut(ResponseModel):
    """A working group (部会), or a sub-group (分科会) when `parent_id` is set."""

    id: int
    parent_id: int | None
    name_ja: str
    name_en: str
    axis: GroupAxis
    status: GroupStatus
    tags: list[str]
    summary_ja: str
    summary_en: str
    created_at: datetime


class MeetingOut(ResponseModel):
    """A meeting (会合) with its agenda and minutes (議事録, Markdown)."""

    id: int
    group_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    online_url: str
    agenda: str
    minutes: str
    minutes_updated_at: datetime | None


class GroupFilters(PageQuery):
    q: Text(100) = Field("", description="Part of the name, themes or summary.")
    axis: GroupAxis | None = None


@operation("/working-groups", summary="List working groups", tag="working groups", access=PUBLIC, query=GroupFilters,
           response=page_model(WorkingGroupOut))
def list_groups(query: GroupFilters):
    """Active groups for everyone; archived ones too for their members and the secretariat."""
    stmt = visible_groups(current_user)
    if query.axis is not None:
        stmt = stmt.where(WorkingGroup.axis == query.axis)
    if query.q:
        like = f"%{query.q}%"
        stmt = stmt.where(or_(WorkingGroup.name_ja.ilike(like), WorkingGroup.name_en.ilike(like),
                              WorkingGroup.theme_tags.ilike(like), WorkingGroup.summary_ja.ilike(like)))
    return page_of(stmt.order_by(WorkingGroup.id), query, WorkingGroupOut)


@operation("/working-groups/<int:group_id>", summary="One working group", tag="working groups", access=PUBLIC,
           response=WorkingGroupOut, errors=(404,))
def get_group(group_id: int):
    return WorkingGroupOut.model_validate(get_visible_or_404(WorkingGroup, group_id, current_user, can_view_group))


@operation("/working-groups/<int:group_id>/meetings", summary="A group's meetings", tag="working groups", access=READ,
           query=PageQuery, response=page_model(MeetingOut), errors=(404,))
def list_meetings(group_id: int, query: PageQuery):
    """Members of the group and the secretariat (404 for everyone else, as on the pages)."""
    group = get_visible_or_404(WorkingGroup, group_id, current_user, can_view_group)
    if not can_view_members_only(current_user, group):
        raise Refused(hidden=True)
    stmt = select(Meeting).where(Meeting.group_id == group.id).order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    return page_of(stmt, query, MeetingOut)


@operation("/meetings/<int:meeting_id>", summary="One meeting", tag="working groups", access=READ,
           response=MeetingOut, errors=(404,))
def get_meeting(meeting_id: int):
    return MeetingOut.model_validate(get_visible_or_404(Meeting, meeting_id, current_user, can_view_meeting))
