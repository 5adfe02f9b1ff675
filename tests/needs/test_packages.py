"""Proposal packages: built from needs, their own states, exports, and what submitters see of them."""
from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from docx import Document

from app.needs import package_services
from app.needs.services import NeedError
from models import Confidentiality, PackageStatus, Role, db

P = PackageStatus
ALLOWED = {(P.DRAFT, P.SUBMITTED), (P.SUBMITTED, P.ANSWERED), (P.SUBMITTED, P.HEARING), (P.ANSWERED, P.RE_REQUESTED),
           (P.ANSWERED, P.HEARING), (P.ANSWERED, P.DECIDED), (P.RE_REQUESTED, P.ANSWERED), (P.RE_REQUESTED, P.HEARING),
           (P.HEARING, P.ANSWERED), (P.HEARING, P.DECIDED)}


@pytest.fixture
def two_needs(make_need, applicant, make_user):
    other = make_user(Role.MEMBER)
    first = make_need(applicant, title="ロケットの高圧ガス充填許可", law_name="高圧ガス保安法", obstacle="試験毎の許可",
                      relief="包括的な許可", evidence="年20回の燃焼試験")
    second = make_need(other, title="ロケット打上げの火薬類消費許可", law_name="火薬類取締法", obstacle="他社の極秘事情",
                       relief="ワンストップ許可", evidence="射場の運用計画", confidentiality=Confidentiality.CONFIDENTIAL)
    return first, second


@pytest.fixture
def package(two_needs, secretariat):
    made = package_services.save_package(secretariat, None, "宇宙関連規制パッケージ", "ロケット関連の規制をまとめて提案する", list(two_needs))
    db.session.commit()
    return made


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED), ids=lambda s: s.value)
def test_allowed_package_step(package, secretariat, source, target):
    package.status = source
    package_services.advance_package(secretariat, package, target, "メモ", submitted_on=date(2026, 12, 1), submitted_to="内閣府")
    assert package.status == target and package.events[-1].to_status == target


@pytest.mark.parametrize(("source", "target"), sorted((a, b) for a in P for b in P if (a, b) not in ALLOWED),
                         ids=lambda s: s.value)
def test_forbidden_package_step(package, secretariat, source, target):
    package.status = source
    with pytest.raises(NeedError):
        package_services.advance_package(secretariat, package, target, "メモ", submitted_on=date(2026, 12, 1), submitted_to="内閣府")
    assert package.status == source


def test_submitting_a_package_needs_a_date_and_a_recipient(package, secretariat):
    with pytest.raises(NeedError):
        package_services.advance_package(secretariat, package, P.SUBMITTED, "提出")
    assert package.status == P.DRAFT


def test_docx_export_opens_and_contains_each_need(client, package, two_needs, secretariat, login_as):
    login_as(secretariat)
    response = client.get(f"/needs/manage/packages/{package.id}/export.docx")
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "宇宙関連規制パッケージ" in text
    for need in two_needs:
        for value in (need.title, need.law_name, need.obstacle, need.relief, need.evidence):
            assert value in text
    # The labels are in Japanese, whatever the secretariat's language: the document goes to the Cabinet Office.
    for label in ("このパッケージのニーズ", "希望する規制緩和: ", "支障となっている点: ", "エビデンス: ", "規制: "):
        assert label in text
    assert "The relief wanted" not in text


def test_csv_export_has_a_bom_and_neutralises_formulas(client, package, two_needs, secretariat, login_as):
    two_needs[0].obstacle = "=HYPERLINK(\"http://evil\")"
    db.session.commit()
    login_as(secretariat)
    body = client.get(f"/needs/manage/packages/{package.id}/export.csv").get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert len(rows) == 3
    assert "'=HYPERLINK(\"http://evil\")" in rows[1]


def test_pdf_export_embeds_a_japanese_font_and_contains_each_need(client, package, two_needs, secretariat, login_as):
    from pypdf import PdfReader

    login_as(secretariat)
    response = client.get(f"/needs/manage/packages/{package.id}/export.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    # pypdf puts a NUL before each character of fpdf2's CID text; poppler reads it cleanly.
    text = "".join(page.extract_text() for page in reader.pages).replace("\x00", "").replace(" ", "")
    assert "宇宙関連規制パッケージ" in text
    for need in two_needs:
        for value in (need.title, need.law_name, need.obstacle, need.relief, need.evidence):
            assert value.replace(" ", "") in text
    fonts = {str(f.get_object().get("/BaseFont")) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert any("NotoSansCJK" in name for name in fonts)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.APPLICANT])
def test_package_exports_are_forbidden_to_other_roles(client, package, login_as, role):
    login_as(role)
    assert client.get(f"/needs/manage/packages/{package.id}/export.docx").status_code == 403
    assert client.get(f"/needs/manage/packages/{package.id}/export.csv").status_code == 403
    assert client.get(f"/needs/manage/packages/{package.id}/export.pdf").status_code == 403


def test_submitter_sees_package_progress_without_other_companies_confidential_details(
        client, package, two_needs, applicant, secretariat, login_as):
    package_services.advance_package(secretariat, package, P.SUBMITTED, "内部メモ：先方の感触は良い",
                             submitted_on=date(2026, 12, 1), submitted_to="内閣府地方創生推進事務局")
    db.session.commit()
    login_as(applicant)
    page = client.get(f"/needs/{two_needs[0].id}").get_data(as_text=True)
    assert "宇宙関連規制パッケージ" in page and "内閣府地方創生推進事務局" in page
    assert two_needs[1].title not in page and "他社の極秘事情" not in page
    assert "内部メモ" not in page


def test_package_progress_is_notified_to_each_submitter(package, two_needs, secretariat):
    from app.core.mail import sent_messages

    package_services.advance_package(secretariat, package, P.SUBMITTED, "内部メモ", submitted_on=date(2026, 12, 1), submitted_to="内閣府")
    db.session.commit()  # mail goes out after commit
    recipients = {m["To"] for m in sent_messages}
    assert {n.submitter.email for n in two_needs} <= recipients
    assert all("内部メモ" not in m.get_content() for m in sent_messages)


def test_package_page_builds_a_package_from_chosen_needs(client, two_needs, secretariat, login_as, post_form):
    login_as(secretariat)
    response = post_form("/needs/manage/packages/new", {"title": "新パッケージ", "proposal_text": "本文",
                                                        "needs": [str(n.id) for n in two_needs]})
    assert response.status_code == 302
    from models import ProposalPackage

    made = db.session.scalar(db.select(ProposalPackage))
    assert [n.id for n in made.needs] == sorted(n.id for n in two_needs)


def test_a_package_needs_at_least_one_need(client, secretariat, login_as, post_form):
    login_as(secretariat)
    page = post_form("/needs/manage/packages/new", {"title": "空", "proposal_text": ""}).get_data(as_text=True)
    assert "aria-invalid" in page or "errors" in page


@pytest.mark.parametrize(("source", "preselected"), [(P.DRAFT, P.SUBMITTED), (P.SUBMITTED, P.ANSWERED),
                                                      (P.HEARING, P.ANSWERED)], ids=lambda s: s.value)
def test_the_package_page_preselects_the_next_step(client, login_as, package, secretariat, source, preselected):
    package.status = source
    db.session.commit()
    login_as(secretariat)
    html = client.get(f"/needs/manage/packages/{package.id}").get_data(as_text=True)
    select = html.split('id="target"', 1)[1].split("</select>", 1)[0]
    assert select.split("<option", 2)[1].startswith(f' selected value="{preselected.value}"')


def test_the_proposal_text_is_markdown_on_the_page_and_in_the_docx_named_after_the_package(client, package, secretariat,
                                                                                          login_as):
    from urllib.parse import unquote

    package.proposal_text = "## 提案の概要\n\n**ドローン**の目視外飛行を<script>alert(1)</script>エリア単位で"
    db.session.commit()
    login_as(secretariat)
    html = client.get(f"/needs/manage/packages/{package.id}").get_data(as_text=True)
    assert "<h2>提案の概要</h2>" in html and "<strong>ドローン</strong>" in html and "<script>alert" not in html
    response = client.get(f"/needs/manage/packages/{package.id}/export.docx")
    assert unquote(response.headers["Content-Disposition"].split("UTF-8''")[1]) == f"{package.title}.docx"
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert "提案の概要" in text and "##" not in text and "**" not in text


def test_the_package_form_lists_no_need_until_one_is_searched(client, two_needs, secretariat, login_as):
    login_as(secretariat)
    page = client.get("/needs/manage/packages/new").get_data(as_text=True)
    assert 'data-testid="no-needs-chosen"' in page
    assert 'name="needs"' not in page  # no checkbox per open need


def test_searching_on_the_package_form_offers_matches_and_keeps_what_was_typed(client, two_needs, secretariat,
                                                                               login_as, post_form, make_need, applicant):
    from models import NeedStatus, ProposalPackage

    withdrawn = make_need(applicant, title="ロケットの取り下げ済み相談", status=NeedStatus.WITHDRAWN)
    login_as(secretariat)
    page = post_form("/needs/manage/packages/new", {"title": "宇宙パッケージ", "proposal_text": "下書きの本文",
                                                     "q": "ロケット", "find": "1"}).get_data(as_text=True)
    assert 'value="宇宙パッケージ"' in page and "下書きの本文" in page  # nothing typed is lost
    offered = set(re.findall(r'name="needs" type="checkbox" value="(\d+)"', page))
    assert offered == {str(n.id) for n in two_needs}  # only open needs can be packed, not the withdrawn one
    assert db.session.scalar(db.select(db.func.count(ProposalPackage.id))) == 0  # a search saves nothing

    nothing = post_form("/needs/manage/packages/new", {"title": "x", "q": "存在しない語", "find": "1"}).get_data(as_text=True)
    assert 'data-testid="no-needs-found"' in nothing


def test_the_package_form_keeps_ticked_needs_across_searches_and_ignores_unpackable_ids(
        client, two_needs, secretariat, login_as, post_form, make_need, applicant):
    from models import NeedStatus, ProposalPackage

    first, second = two_needs
    draft = make_need(applicant, title="下書きのニーズ", status=NeedStatus.DRAFT)
    login_as(secretariat)
    page = post_form("/needs/manage/packages/new", {"title": "t", "needs": [str(first.id)], "q": "火薬類", "find": "1"})
    html = page.get_data(as_text=True)
    boxes = dict((value, "checked" in attrs) for attrs, value in
                 re.findall(r'<input ([^>]*)name="needs" type="checkbox" value="(\d+)"', html))
    assert boxes == {str(first.id): True, str(second.id): False}  # ticked kept, the search result offered

    for smuggled in (str(draft.id), "99999999999999"):  # not packable: refused with the form shown again
        refused = post_form("/needs/manage/packages/new", {"title": "宇宙", "needs": [str(first.id), smuggled]})
        assert refused.status_code == 200 and 'value="宇宙"' in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ProposalPackage.id))) == 0
    response = post_form("/needs/manage/packages/new", {"title": "宇宙", "needs": [str(first.id), str(second.id)]})
    assert response.status_code == 302
    made = db.session.scalar(db.select(ProposalPackage))
    assert sorted(n.id for n in made.needs) == sorted([first.id, second.id])
