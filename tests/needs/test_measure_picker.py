"""The related-measures picker: a plain multi-select the app's JavaScript makes searchable (issue 18)."""
from __future__ import annotations

import re

from models import NationalRoute, db


def test_the_picker_is_a_plain_multi_select_that_still_submits_several_measures(
        client, make_need, make_measure, applicant, secretariat, login_as, post_form):
    need = make_need(applicant)
    first, second = make_measure(), make_measure(code="M071", name_ja="水素ステーションの保安距離の緩和")
    make_measure(code="M072", name_ja="選ばれない特例")
    login_as(secretariat)
    page = client.get(f"/needs/manage/{need.id}").get_data(as_text=True)
    assert "data-picker" in page and 'data-filter-label="特例措置を絞り込む"' in page
    assert re.search(r'<select[^>]*multiple[^>]*name="measures"|<select[^>]*name="measures"[^>]*multiple', page)
    post_form(f"/needs/manage/{need.id}/route",
              {"route": "sandbox", "route_reason": "", "group": "", "measures": [str(first.id), str(second.id)]},
              form_page=f"/needs/manage/{need.id}")
    db.session.refresh(need)
    assert need.national_route == NationalRoute.SANDBOX
    assert sorted(m.code for m in need.measures) == ["M070", "M071"]


def test_the_picker_is_not_shown_to_the_submitter(client, make_need, applicant, login_as):
    need = make_need(applicant)
    login_as(applicant)
    assert client.get(f"/needs/manage/{need.id}").status_code in (403, 404)
