"""Meeting attachments: who may add and remove them and the audit entries; checking and storing is app.uploads."""
from __future__ import annotations

from pathlib import Path

from werkzeug.datastructures import FileStorage

from app.core import audit
from app.web import uploads
from models import Meeting, MeetingAttachment, User, db

from . import permissions as perms
from .services import check_allowed

FOLDER = "groups"


def storage_dir() -> Path:
    return uploads.storage_dir(FOLDER)


def add_attachment(actor: User, meeting: Meeting, upload: FileStorage) -> MeetingAttachment:
    """Check and store one file. Raises UploadRefused with a message for the user; nothing is stored then."""
    check_allowed(perms.can_lead_group(actor, meeting.group))
    checked = uploads.read_upload(upload)
    attachment = MeetingAttachment(
        meeting=meeting, original_name=checked.original_name, stored_name=uploads.store(checked, FOLDER),
        content_type=checked.content_type, size=checked.size, uploaded_by=actor,
    )
    db.session.add(attachment)
    db.session.flush()
    audit.record("meeting.attachment_added", meeting, actor=actor, attachment=attachment.id, name=checked.original_name)
    return attachment


def remove_attachment(actor: User, attachment: MeetingAttachment) -> str:
    """Delete the row; returns the stored name so the caller removes the file after commit."""
    check_allowed(perms.can_lead_group(actor, attachment.meeting.group))
    audit.record("meeting.attachment_removed", attachment.meeting, actor=actor, name=attachment.original_name)
    db.session.delete(attachment)
    db.session.flush()
    return attachment.stored_name


def delete_stored_file(stored_name: str) -> None:
    uploads.delete_stored(FOLDER, stored_name)


def stored_path(attachment: MeetingAttachment) -> Path:
    return storage_dir() / attachment.stored_name
