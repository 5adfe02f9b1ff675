"""Translated labels of the introduction enums."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from models import IntroductionStatus

INTRODUCTION_STATUS_LABELS = {
    IntroductionStatus.SUGGESTED: _l("Suggested"),
    IntroductionStatus.INTRODUCED: _l("Introduced"),
    IntroductionStatus.ACCEPTED: _l("Accepted"),
    IntroductionStatus.DECLINED: _l("Declined"),
    IntroductionStatus.AGREED: _l("Trial agreed"),
    IntroductionStatus.TRIAL_STARTED: _l("Trial started"),
}

COMPONENT_LABELS = {
    "text": _l("Text"),
    "fuzzy": _l("Wording"),
    "tags": _l("Tags"),
    "geo": _l("Distance"),
    "period": _l("Period"),
    "support": _l("Support offered"),
    "setting": _l("Setting"),
}

KIND_LABELS = {"all": _l("Sites and partners"), "site": _l("Trial sites"), "organisation": _l("Partner organisations")}
