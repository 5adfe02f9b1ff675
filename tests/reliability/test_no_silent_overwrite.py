"""No silent overwrite: a save based on an older version of an object is shown back with the user's
values kept, the other person's values shown and a clear message; saving again then replaces them."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import update

from models import Meeting, Organisation, ProposalPackage, RegulatoryNeed, TrialSite, WorkingGroup, db
from models.base import utcnow
from sqlalchemy.orm.exc import StaleDataError


class FormValues(HTMLParser):
    """The values a browser would send for the POST form that carries a `version` field."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.inside = False
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.inside = True
            self.forms.append([])
        elif not self.inside:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "file"):
                self.forms[-1].append((a["name"], a.get("value", "y" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.forms[-1].append((self.textarea, ""))
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.forms[-1].append((self.select, a.get("value", "")))

    def handle_data(self, data):
        if self.textarea:
            name, value = self.forms[-1][-1]
            self.forms[-1][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def edit_form(client, path: str) -> list[tuple[str, str]]:
    parser = FormValues()
    parser.feed(client.get(path).get_data(as_text=True))
    forms = [f for f in parser.forms if any(name == "version" for name, _ in f)]
    assert forms, f"{path} has no versioned form"
    return forms[0]


def with_value(values, name: str, value: str) -> dict:
    data: dict[str, list[str]] = {}
    for key, current in values:
        data.setdefault(key, []).append(current)
    data[name] = [value]
    return data


@pytest.fixture
def objects(applicant, member, make_user, make_need, make_site, make_group, make_meeting, secretariat):
    from app.needs import package_services as packages

    need = make_need(applicant, status=__import__("models").NeedStatus.DRAFT)
    site = make_site("石狩の試験道路", owner=member.organisation)
    group = make_group()
    meeting = make_meeting(group)
    package = packages.save_package(secretariat, None, "宇宙関連パッケージ", "本文", [make_need(applicant)])
    db.session.commit()
    return {"need": need, "organisation": applicant.organisation, "site": site, "group": group, "meeting": meeting,
            "package": package}


CASES = {
    # object: (who edits, edit page, field the user changes, column another person changes)
    "need": ("applicant", lambda o: f"/needs/{o.id}/edit", "title", RegulatoryNeed, "title"),
    "organisation": ("applicant", lambda o: f"/members/{o.id}/edit", "name_ja", Organisation, "name_ja"),
    "site": ("member", lambda o: f"/trials/sites/{o.id}/edit", "name_ja", TrialSite, "name_ja"),
    "group": ("secretariat", lambda o: f"/groups/{o.id}/edit", "name_ja", WorkingGroup, "name_ja"),
    "meeting": ("secretariat", lambda o: f"/groups/{o.group_id}/meetings/{o.id}/edit", "title", Meeting, "title"),
    "package": ("secretariat", lambda o: f"/needs/manage/packages/{o.id}/edit", "title", ProposalPackage, "title"),
}


@pytest.mark.parametrize("name", CASES)
def test_a_stale_save_is_shown_back_with_both_values_and_a_second_save_wins(name, client, login_as, objects, request):
    who, page, field, model, column = CASES[name]
    obj = objects[name]
    login_as(request.getfixturevalue(who))
    path = page(obj)
    values = edit_form(client, path)
    # Meanwhile a colleague saves another text.
    db.session.execute(update(model).where(model.id == obj.id).values({column: "同僚が保存した名称", "version": model.version + 1}))
    db.session.commit()

    response = client.post(path, data=with_value(values, field, "私が入力した名称"))
    page_text = response.get_data(as_text=True)
    assert response.status_code == 200, page_text[:500]
    assert 'data-testid="stale-save"' in page_text
    assert "私が入力した名称" in page_text and "同僚が保存した名称" in page_text  # both values shown
    db.session.expire_all()
    assert getattr(db.session.get(model, obj.id), column) == "同僚が保存した名称"  # nothing overwritten

    again = edit_form_from_html(page_text)
    response = client.post(path, data=with_value(again, field, "私が入力した名称"))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.expire_all()
    assert getattr(db.session.get(model, obj.id), column) == "私が入力した名称"


def edit_form_from_html(html: str) -> list[tuple[str, str]]:
    parser = FormValues()
    parser.feed(html)
    return [f for f in parser.forms if any(n == "version" for n, _ in f)][0]


def test_the_version_goes_up_with_every_save(objects):
    need = objects["need"]
    before = need.version
    need.title = "変更"
    db.session.commit()
    assert need.version == before + 1


def test_two_saves_of_one_row_at_the_same_moment_cannot_both_win(objects):
    need = objects["need"]
    need.title = "一人目"
    # A second writer got there first (same row, version moved on).
    with db.session.no_autoflush:
        db.session.execute(update(RegulatoryNeed).where(RegulatoryNeed.id == need.id)
                           .values(title="二人目", version=RegulatoryNeed.version + 1, updated_at=utcnow())
                           .execution_options(synchronize_session=False))
    with pytest.raises(StaleDataError):
        db.session.flush()
    db.session.rollback()
