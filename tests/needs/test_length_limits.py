"""Text over a field's limit is refused with a message and kept, never cut (issue 18)."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from models import RegulatoryNeed, db

from .test_form import FULL

LONG = "障" * 4_990 + "x" * 95_010  # 100,000 characters


@pytest.mark.parametrize("button", ["submit", "save_draft"])
def test_over_long_text_is_refused_and_kept(client, applicant, login_as, post_form, button):
    login_as(applicant)
    response = post_form("/needs/new", {**FULL, "obstacle": LONG, button: "1"})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert db.session.scalar(select(RegulatoryNeed)) is None
    assert LONG in page  # everything typed is shown again, not cut to 5,000
    assert 'id="obstacle-error"' in page and "5000" in page
    assert 'aria-invalid="true"' in page


def test_limited_fields_get_a_counter_not_a_browser_cut(client, applicant, login_as):
    login_as(applicant)
    page = client.get("/needs/new").get_data(as_text=True)
    assert not re.search(r'\smaxlength="', page)  # the browser would cut pasted text without a word
    assert 'data-maxlength="5000"' in page
    assert 'id="obstacle-count"' in page and "0 / 5,000" in page
    assert re.search(r'aria-describedby="[^"]*obstacle-count', page)


def test_text_at_the_limit_is_accepted(client, applicant, login_as, post_form):
    login_as(applicant)
    response = post_form("/needs/new", {**FULL, "obstacle": "x" * 5_000, "submit": "1"})
    assert response.status_code == 302
    assert len(db.session.scalar(select(RegulatoryNeed)).obstacle) == 5_000
