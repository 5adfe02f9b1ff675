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


def forward_and_back(current: Enum, allowed: Iterable[Enum], rank: Mapping[Enum, int] | None = None) -> tuple[list, list]:
    """Split a state form's allowed targets into the steps forward and the steps back.

    `rank` places each state on the pipeline's main line (default: the enum's order); a target ranked
    below the current state goes back. Forward steps come nearest first, so the first one is the next
    step (the one preselected); back steps too (the previous stage first). Ending states (withdrawn,
    declined) rank after the main line and count as forward.
    """
    order = list(type(current))
    position = rank or {state: index for index, state in enumerate(order)}

    def key(state):
        return position[state], order.index(state)

    forward = sorted((s for s in allowed if position[s] >= position[current]), key=key)
    back = sorted((s for s in allowed if position[s] < position[current]), key=key, reverse=True)
    return forward, back
