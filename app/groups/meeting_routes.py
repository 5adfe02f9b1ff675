"""Meeting pages: schedule, answer invitations, record attendance, minutes and attachments."""
from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.fiscal import TOKYO
from app.permissions import require
from app.web import uploads
from app.web.forms import ActionForm
from app.web.loaders import get_or_404, get_visible_or_404
from app.web.markdown import render_markdown
from app.web.pagination import paginate
from app.web.uploads import UploadRefused
from models import AttendanceStatus, Meeting, MeetingAttachment, WorkingGroup, db

from . import attachment_services as files
from . import meeting_services as meetings_service
from . import permissions as perms
from .blueprint import bp
from .forms import ATTENDANCE_LABELS, AnswerForm, AttachmentForm, AttendanceForm, MeetingForm, MinutesForm
from .services import GroupError

log = logging.getLogger(__name__)


def _meeting(group_id: int, meeting_id: int) -> Meeting:
    """The meeting, only for the group's members and the secretariat (404 for everyone else)."""
    meeting = get_visible_or_404(Meeting, meeting_id, current_user, perms.can_view_meeting)
    if meeting.group_id != group_id:
        abort(404)
    return meeting


def _data(form: MeetingForm) -> meetings_service.MeetingData:
    return meetings_service.MeetingData(
        title=form.title.data, starts_at=form.starts_at.data.replace(tzinfo=TOKYO), ends_at=form.ends_at.data.replace(tzinfo=TOKYO),
        place=form.place.data or "", online_url=form.online_url.data or "", agenda=form.agenda.data or "",
    )


@bp.route("/<int:group_id>/meetings")
@login_required
def meetings(group_id: int):
    group = get_visible_or_404(WorkingGroup, group_id, current_user, perms.can_view_group)
    if not perms.can_view_members_only(current_user, group):
        abort(404)
    stmt = select(Meeting).where(Meeting.group_id == group.id).order_by(Meeting.starts_at.desc())
    return render_template("groups/meetings.html", group=group, page=paginate(stmt), can_lead=perms.can_lead_group(current_user, group))


@bp.route("/<int:group_id>/meetings/new", methods=["GET", "POST"])
@login_required
def new_meeting(group_id: int):
    group = get_visible_or_404(WorkingGroup, group_id, current_user, perms.can_view_group)
    require(perms.can_lead_group(current_user, group))
    form = MeetingForm()
    if form.validate_on_submit():
        meeting = meetings_service.schedule_meeting(current_user, group, _data(form))
        db.session.commit()
        flash(_("The meeting was scheduled and the members were invited."), "success")
        return redirect(url_for("groups.meeting", group_id=group.id, meeting_id=meeting.id))
    return render_template("groups/meeting_form.html", form=form, group=group, meeting=None)


@bp.route("/<int:group_id>/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit_meeting(group_id: int, meeting_id: int):
    meeting = _meeting(group_id, meeting_id)
    require(perms.can_lead_group(current_user, meeting.group))
    form = MeetingForm(obj=meeting)
    if request.method == "GET":
        form.starts_at.data = meeting.starts_at.astimezone(TOKYO).replace(tzinfo=None)
        form.ends_at.data = meeting.ends_at.astimezone(TOKYO).replace(tzinfo=None)
    if form.validate_on_submit():
        meetings_service.update_meeting(current_user, meeting, _data(form))
        db.session.commit()
        flash(_("The meeting was saved."), "success")
        return redirect(url_for("groups.meeting", group_id=group_id, meeting_id=meeting.id))
    return render_template("groups/meeting_form.html", form=form, group=meeting.group, meeting=meeting)


@bp.route("/<int:group_id>/meetings/<int:meeting_id>/delete", methods=["POST"])
@login_required
def delete_meeting(group_id: int, meeting_id: int):
    meeting = _meeting(group_id, meeting_id)
    require(perms.can_lead_group(current_user, meeting.group))
    stored = [a.stored_name for a in meeting.attachments]
    meetings_service.delete_meeting(current_user, meeting)
    db.session.commit()
    for name in stored:
        files.delete_stored_file(name)
    flash(_("The meeting was deleted."), "success")
    return redirect(url_for("groups.detail", group_id=group_id))


@bp.route("/<int:group_id>/meetings/<int:meeting_id>")
@login_required
def meeting(group_id: int, meeting_id: int):
    meeting = _meeting(group_id, meeting_id)
    mine = meetings_service.attendance_of(current_user, meeting)
    answer_form = AnswerForm(answer=mine.status.value if mine and mine.status.value in ("attending", "declined") else None)
    return render_template(
        "groups/meeting.html", meeting=meeting, group=meeting.group, mine=mine, answer_form=answer_form,
        can_lead=perms.can_lead_group(current_user, meeting.group), minutes_html=render_markdown(meeting.minutes),
        agenda_html=render_markdown(meeting.agenda), attendance_labels=ATTENDANCE_LABELS, action_form=ActionForm(),
        minutes_form=MinutesForm(minutes=meeting.minutes), attachment_form=AttachmentForm(),
        allowed_types=uploads.allowed_extensions(), max_mb=uploads.megabytes(uploads.max_bytes()),
    )


@bp.route("/<int:group_id>/meetings/<int:meeting_id>/answer", methods=["POST"])
@login_required
def answer(group_id: int, meeting_id: int):
    meeting = _meeting(group_id, meeting_id)
    require(perms.can_answer_invitation(current_user, meeting))
    form = AnswerForm()
    if form.validate_on_submit():
        meetings_service.answer_invitation(current_user, meeting, AttendanceStatus(form.answer.data))
        db.session.commit()
        flash(_("Thank you, your answer was saved."), "success")
    else:
        flash(_("Choose attending or declined."), "error")
    return redirect(url_for("groups.meeting", group_id=group_id, meeting_id=meeting_id))


@bp.route("/<int:group_id>/meetings/<int:meeting_id>/attendance", methods=["POST"])
@login_required
def attendance(group_id: int, meeting_id: int):
    meeting = _meeting(group_id, meeting_id)
    require(perms.can_lead_group(current_user, meeting.group))
    form = AttendanceForm()
    if not form.validate_on_submit():
        abort(400)
    meetings_service.record_attendance(current_user, meeting, set(form.attended.data or ()))
    db.session.commit()
    flash(_("Attendance was recorded."), "success")
    return redirect(url_for("groups.meeting", group_id=group_id, meeting_id=meeting_id))


@bp.route("/<int:group_id>/meetings/<int:meeting_id>/minutes", methods=["POST"])
@login_required
def minutes(group_id: int, meeting_id: int):
    meeting = _meeting(group_id, meeting_id)
    require(perms.can_lead_group(current_user, meeting.group))
    form = MinutesForm()
    if form.validate_on_submit():
        meetings_service.save_minutes(current_user, meeting, form.minutes.data or "")
        db.session.commit()
        flash(_("The minutes were saved."), "success")
    else:
        flash(_("The minutes are too long; nothing was saved."), "error")
    return redirect(url_for("groups.meeting", group_id=group_id, meeting_id=meeting_id))


@bp.route("/<int:group_id>/meetings/<int:meeting_id>/attachments", methods=["POST"])
@login_required
def upload(group_id: int, meeting_id: int):
    meeting = _meeting(group_id, meeting_id)
    require(perms.can_lead_group(current_user, meeting.group))
    form = AttachmentForm()
    if not form.validate_on_submit():
        flash(_("Choose a file to upload."), "error")
    else:
        try:
            attachment = files.add_attachment(current_user, meeting, form.file.data)
        except (GroupError, UploadRefused) as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("%(name)s was uploaded.", name=attachment.original_name), "success")
    return redirect(url_for("groups.meeting", group_id=group_id, meeting_id=meeting_id))


def _attachment(group_id: int, meeting_id: int, attachment_id: int) -> MeetingAttachment:
    meeting = _meeting(group_id, meeting_id)
    attachment = get_or_404(MeetingAttachment, attachment_id)
    if attachment.meeting_id != meeting.id:
        abort(404)
    return attachment


@bp.route("/<int:group_id>/meetings/<int:meeting_id>/attachments/<int:attachment_id>")
@login_required
def download(group_id: int, meeting_id: int, attachment_id: int):
    attachment = _attachment(group_id, meeting_id, attachment_id)
    path = files.stored_path(attachment)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=attachment.content_type, as_attachment=True, download_name=attachment.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:group_id>/meetings/<int:meeting_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
@login_required
def delete_attachment(group_id: int, meeting_id: int, attachment_id: int):
    attachment = _attachment(group_id, meeting_id, attachment_id)
    require(perms.can_lead_group(current_user, attachment.meeting.group))
    stored = files.remove_attachment(current_user, attachment)
    db.session.commit()
    files.delete_stored_file(stored)
    flash(_("The file was deleted."), "success")
    return redirect(url_for("groups.meeting", group_id=group_id, meeting_id=meeting_id))
