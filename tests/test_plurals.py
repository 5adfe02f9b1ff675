"""Plural forms: English counts read "1 organisation", "2 organisations"; Japanese has one form."""
from __future__ import annotations

import pytest
from flask_babel import force_locale, ngettext


@pytest.mark.parametrize(("count", "english"), [(1, "1 organisation"), (2, "2 organisations"), (0, "0 organisations")])
def test_english_counts_agree_with_their_number(app, count, english):
    with app.test_request_context(), force_locale("en"):
        assert ngettext("%(num)s organisation", "%(num)s organisations", count) == english


def test_japanese_has_one_form(app):
    with app.test_request_context(), force_locale("ja"):
        assert ngettext("%(num)s organisation", "%(num)s organisations", 1) == "1 団体"
        assert ngettext("%(num)s introduction made.", "%(num)s introductions made.", 3) == "3件の引き合わせを行いました。"


def test_the_site_catalogue_counts_in_the_singular_for_one(client, make_site):
    make_site("石狩吹雪実験場")
    client.set_cookie("lang", "en")
    html = client.get("/trials/sites").get_data(as_text=True)
    assert ">1 site</p>" in html
