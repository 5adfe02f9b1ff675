"""CSV import (UTF-8 and Shift_JIS, preview with each row's errors, all or nothing) and export (BOM, no formulas)."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import delete, func, select

from app.members.import_services import export_directory, preview_import, run_import
from app.members.permissions import visible_organisations
from app.web.csvfiles import neutralise, write_csv
from models import MembershipTier, Organisation, Role, Sector, User, db

HEADER = "name_ja,name_en,sector,category,tier,municipality,technologies,person_name,person_email\r\n"
GOOD = (HEADER + "株式会社インポート（デモ）,Import Co.,産,スタートアップ,正会員,札幌市北区,AI、IoT,取込 一郎,ichiro@import.example\r\n"
        "江別市（デモ）,,government,,special,江別市,,,\r\n")
BAD = (HEADER + "良い行（デモ）,,industry,,,札幌市,,,\r\n"
       ",,industry,,,札幌市,,,\r\n"
       "悪いセクター（デモ）,,space,,,札幌市,,,\r\n"
       "悪いメール（デモ）,,finance,,,札幌市,,担当,not-an-email\r\n")


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def test_a_good_utf8_file_imports_organisations_and_people(secretariat):
    created = run_import(secretariat, GOOD.encode("utf-8"))
    assert len(created) == 2
    startup = db.session.scalar(select(Organisation).where(Organisation.name_ja == "株式会社インポート（デモ）"))
    assert startup.sector == Sector.INDUSTRY and startup.tier == MembershipTier.REGULAR
    assert startup.tags_of("technologies") == ["AI", "IoT"]
    person = db.session.scalar(select(User).where(User.email == "ichiro@import.example"))
    assert person.organisation_id == startup.id and person.role == Role.MEMBER and person.is_org_admin


def test_a_row_with_only_a_person_adds_a_colleague(secretariat, make_organisation):
    existing = make_organisation("既存（デモ）")
    data = (HEADER + "新規（デモ）,,industry,,,札幌市,,新規 管理,admin@new.example\r\n"
            "新規（デモ）,,,,,,,新規 同僚,colleague@new.example\r\n"
            "既存（デモ）,,,,,,,既存 同僚,colleague@old.example\r\n").encode()
    assert preview_import(data).ok
    run_import(secretariat, data)
    people = {u.email: u for u in db.session.scalars(select(User))}
    assert people["colleague@new.example"].organisation.name_ja == "新規（デモ）"
    assert people["admin@new.example"].is_org_admin and not people["colleague@new.example"].is_org_admin
    assert people["colleague@old.example"].organisation_id == existing.id


def test_an_imported_person_cannot_log_in_before_setting_a_password(client, secretariat, auth):
    run_import(secretariat, GOOD.encode("utf-8"))
    db.session.commit()
    response = auth.login("ichiro@import.example", "!imported-")
    assert response.status_code == 200  # the form again, with the error


def test_a_shift_jis_file_as_excel_writes_it_is_read(secretariat):
    data = GOOD.encode("cp932")
    preview = preview_import(data)
    assert preview.ok
    assert preview.rows[0].values["name_ja"] == "株式会社インポート（デモ）"


def test_a_utf8_file_with_bom_is_read(secretariat):
    assert preview_import(GOOD.encode("utf-8-sig")).rows[0].values["name_ja"] == "株式会社インポート（デモ）"


def test_a_file_with_bad_rows_reports_each_row_and_writes_nothing(secretariat):
    before = (_count(Organisation), _count(User))
    preview = preview_import(BAD.encode("utf-8"))
    assert not preview.ok
    errors = {row.line: row.errors for row in preview.rows}
    assert errors[2] == []
    assert errors[3] and errors[4] and errors[5]
    assert "space" in errors[4][0]
    with pytest.raises(ValueError):
        run_import(secretariat, BAD.encode("utf-8"))
    assert (_count(Organisation), _count(User)) == before


def test_a_name_already_registered_is_an_error(secretariat, make_organisation):
    make_organisation("江別市（デモ）")
    preview = preview_import(GOOD.encode("utf-8"))
    assert preview.rows[1].errors and not preview.rows[0].errors


def test_a_non_http_website_is_a_row_error(secretariat):
    data = "name_ja,sector,website\r\n変な（デモ）,industry,javascript:alert(1)\r\n".encode()
    assert preview_import(data).rows[0].errors


def test_a_nul_in_a_cell_is_a_row_error_in_the_preview_and_nothing_is_imported(secretariat):
    data = "name_ja,sector\r\nヌル\x00株式会社（デモ）,industry\r\n".encode()
    preview = preview_import(data)
    assert not preview.ok and any("control characters" in e or "制御文字" in e for e in preview.rows[0].errors)
    with pytest.raises(ValueError):
        run_import(secretariat, data)
    assert _count(Organisation) == 0


def test_missing_columns_reject_the_file(secretariat):
    preview = preview_import("name_en\r\nX\r\n".encode())
    assert preview.file_errors and not preview.ok


def test_binary_garbage_is_rejected_with_a_message(secretariat):
    assert preview_import(b"\xff\xfe\x00\x81\x00").file_errors


def test_only_the_secretariat_imports(member):
    from app.permissions import Refused

    with pytest.raises(Refused):
        run_import(member, GOOD.encode("utf-8"))


def test_preview_then_confirm_through_the_pages(client, login_as, post_form):
    login_as(Role.SECRETARIAT)
    data = {"file": (io.BytesIO(GOOD.encode("cp932")), "会員.csv")}
    response = post_form("/members/manage/import", data, content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert "株式会社インポート（デモ）" in text and _count(Organisation) == 0
    upload = text.split('name="upload" type="hidden" value="')[1].split('"')[0]
    response = post_form("/members/manage/import/confirm", {"upload": upload}, form_page="/members/manage/import")
    assert response.status_code == 302
    assert _count(Organisation) == 2


def test_a_rejected_file_shows_each_rows_errors_on_the_page(client, login_as, post_form):
    login_as(Role.SECRETARIAT)
    data = {"file": (io.BytesIO(BAD.encode("utf-8")), "bad.csv")}
    text = post_form("/members/manage/import", data, content_type="multipart/form-data").get_data(as_text=True)
    assert "何も書き込まれていません" in text
    assert "不明なセクター: space" in text
    assert 'name="upload"' not in text or 'value=""' in text
    assert _count(Organisation) == 0


def test_a_forged_upload_name_is_refused(client, login_as, post_form):
    login_as(Role.SECRETARIAT)
    response = post_form("/members/manage/import/confirm", {"upload": "../../secret_key"}, form_page="/members/manage/import")
    assert response.status_code == 302 and _count(Organisation) == 0


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://evil\")"])
def test_formula_cells_are_neutralised(cell):
    assert neutralise(cell) == "'" + cell


def test_plain_cells_are_unchanged():
    assert neutralise("札幌市") == "札幌市" and neutralise(12) == "12"


def test_export_has_a_bom_and_neutralises_injected_names(secretariat, make_organisation):
    make_organisation("=HYPERLINK(\"http://evil.example\")", description="-2+3")
    body = export_directory(visible_organisations(secretariat))
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(\"http://evil.example\")"
    assert rows[1][rows[0].index("description")] == "'-2+3"


def test_export_round_trips_through_import(secretariat, make_organisation):
    make_organisation("往復（デモ）", capability_tags={"data": ["人流データ"]})
    body = export_directory(visible_organisations(secretariat))
    db.session.execute(delete(Organisation))
    created = run_import(secretariat, body)
    assert created[0].tags_of("data") == ["人流データ"]


def test_the_export_page_sends_csv(client, login_as, make_organisation):
    make_organisation("出力（デモ）")
    login_as(Role.SECRETARIAT)
    response = client.get("/members/manage/export.csv")
    assert response.mimetype == "text/csv" and "出力（デモ）" in response.get_data().decode("utf-8-sig")


def test_write_csv_uses_crlf():
    assert write_csv(["a"], [["b"]]) == b"\xef\xbb\xbfa\r\nb\r\n"


def test_an_empty_sector_is_reported_as_missing_not_as_unknown(secretariat):
    preview = preview_import("name_ja,sector\r\n空欄株式会社（デモ）,\r\n".encode())
    assert [e for e in preview.rows[0].errors if "sector" in e.lower() or "セクター" in e] == [
        "セクターが空欄です。industry・academia・government・citizens・finance（または 産・学・官・民・金）のいずれかを入れてください。"]
