"""No silent overwrite: edit forms carry the version they were filled from.

`VersionField()` is the hidden field; `stale_save(form, obj)` tells whether the object changed since
the form was filled and, if so, prepares the form to be shown again: the user's values stay in the
fields, `form.stale_changes` lists the other person's values where they differ (shown by the
`form_errors` macro with a clear message) and the version moves on, so saving again is a
deliberate choice to replace their change.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField
from wtforms.validators import Optional, Regexp

SKIPPED = {"csrf_token", "submission_key", "version", "submit", "save_draft"}


def VersionField() -> HiddenField:  # noqa: N802 - used like a field class
    return HiddenField(validators=[Optional(), Regexp(r"^\d{1,9}$", message=_l("The form is damaged; please reload the page."))])


def _plain(value) -> str:
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, (list, tuple, set)):
        return "; ".join(_plain(v) for v in value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "y" if value else ""
    return "" if value is None else str(value).strip()


def stale_save(form, obj, stored: dict | None = None) -> bool:
    """True (and the form prepared to be shown again) when `obj` changed since the form was filled.

    `stored` gives the stored values by field name where they are not plain attributes of `obj`.
    A form without a version (an old page, an API client) is not checked here; SQLAlchemy's
    version_id_col still refuses a save that races another one.
    """
    sent = form.version.data
    if not sent or int(sent) == obj.version:
        return False
    changes = []
    for name, field in form._fields.items():
        if name in SKIPPED:
            continue
        if stored is not None and name in stored:
            theirs = stored[name]
        elif hasattr(obj, name):
            theirs = getattr(obj, name)
        else:
            continue
        if _plain(theirs) != _plain(field.data):
            changes.append((field.label.text, _plain(theirs) or "—"))
    form.stale_changes = changes
    form.version.data = str(obj.version)
    form.version.raw_data = [str(obj.version)]
    return True
