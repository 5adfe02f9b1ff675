"""Forms shared by every blueprint, and the one way to build select choices."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget


class ActionForm(FlaskForm):
    """An empty form for POST-only buttons, so every state change carries a CSRF token.

    The app-wide CSRFProtect checks the token before any POST view runs (400 when it is missing or
    wrong), so views only render this form; they do not validate it again.
    """


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def choices(options: Mapping | Iterable[tuple], blank: str | None = None) -> list[SelectChoice]:
    """WTForms choices from a label table ({enum member: label}) or from (value, label) pairs.

    Enum members stand for their value. `blank` puts a first, empty option (value "") with that label.
    """
    pairs = options.items() if isinstance(options, Mapping) else options
    listed = [SelectChoice(value.value if isinstance(value, Enum) else value, label) for value, label in pairs]
    return [SelectChoice("", blank), *listed] if blank is not None else listed
