"""What other pages show about introductions (the trial request page lists its introductions)."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _

from models import Introduction, db

from .labels import INTRODUCTION_STATUS_LABELS
from .permissions import visible_introductions


def introduction_title(introduction: Introduction) -> str:
    """The other side's name, as a short title: a site, or an organisation."""
    english = str(get_locale() or "ja") == "en"
    if introduction.site is not None:
        site = introduction.site
        return (site.name_en if english and site.name_en else site.name_ja)
    if introduction.target is not None:
        return introduction.target.display_name("en" if english else "ja")
    return _("Introduction")


def introductions_for_request(user, trial_request) -> dict:
    stmt = visible_introductions(user).where(Introduction.trial_request_id == trial_request.id).order_by(Introduction.id)
    return {"introductions": list(db.session.scalars(stmt)), "intro_title": introduction_title,
            "intro_labels": INTRODUCTION_STATUS_LABELS}
