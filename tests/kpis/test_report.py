"""Achievement ratio (進捗度), evaluation weights, and the exports holding the page's figures."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.kpis import services
from app.kpis.queries import combine, evaluation
from app.kpis.report_queries import achievement_ratio, format_ratio
from models import Role, db

from .conftest import YEAR


@pytest.mark.parametrize("actual, target, expected", [
    (4, 3, 133),  # as the national evaluation prints it: 133%
    (3, 3, 100),
    (0, 5, 0),
    (1, 3, 33),
    (2, 3, 67),  # 66.67 rounds half up
    (1, 8, 13),  # 12.5 rounds half up, not to even
])
def test_achievement_ratio(actual, target, expected):
    assert achievement_ratio(actual, target) == expected


def test_achievement_ratio_with_a_zero_target_is_not_a_number():
    assert achievement_ratio(5, 0) is None
    assert format_ratio(achievement_ratio(5, 0)) == "—"


def test_achievement_ratio_with_a_missing_target_or_figure():
    assert achievement_ratio(5, None) is None
    assert achievement_ratio(None, 5) is None


def test_achievement_ratio_for_days_rewards_fewer_days():
    assert achievement_ratio(20, 30, lower_is_better=True) == 150
    assert achievement_ratio(0, 30, lower_is_better=True) is None


def test_default_weights_are_one_one_two():
    means, total = combine((1, 1, 2), [(60, 80, 90)])
    assert means == (60, 80, 90)
    assert total == 80.0  # (60 + 80 + 2 * 90) / 4


def test_weights_change_the_total_and_means_run_over_evaluators():
    means, total = combine((1, 0, 1), [(60, 0, 100), (80, 100, 80)])
    assert means == (70, 50, 90)
    assert total == 80.0


def test_no_scores_no_total():
    assert combine((1, 1, 2), []) == ((None, None, None), None)


def test_evaluation_keeps_past_years_apart(secretariat):
    services.set_weights(secretariat, 2024, (1, 1, 1))
    services.score_evaluation(secretariat, 2024, (30, 60, 90), ("a", "b", "c"))
    services.score_evaluation(secretariat, 2025, (60, 80, 90), ("", "", ""))
    db.session.commit()
    assert evaluation(2024).total == 60.0
    assert evaluation(2025).weights == (1, 1, 2) and evaluation(2025).total == 80.0


def test_a_named_evaluator_scores_and_others_may_not(secretariat, make_user):
    from app.permissions import Refused

    evaluator = make_user(Role.MEMBER, email="eval@example.org")
    services.name_evaluator(secretariat, 2025, "EVAL@example.org ")
    db.session.commit()
    services.score_evaluation(evaluator, 2025, (50, 50, 50), ("", "", ""))
    with pytest.raises(Refused):
        services.score_evaluation(evaluator, 2024, (50, 50, 50), ("", "", ""))
    with pytest.raises(Refused):
        services.score_evaluation(make_user(Role.MEMBER), 2025, (50, 50, 50), ("", "", ""))


def _dashboard_figures(html: str) -> dict[str, tuple[str, str, str]]:
    rows = re.findall(r'data-indicator="(\w+)">\s*<td>.*?</td>\s*<td class="num" data-testid="actual">([^<]*)</td>\s*'
                      r'<td class="num" data-testid="target">([^<]*)</td>\s*<td class="num[^"]*" data-testid="ratio">([^<]*)</td>',
                      html, re.S)
    return {key: (actual, target, ratio) for key, actual, target, ratio in rows}


@pytest.fixture
def report_pages(kpi_world, client, login_as, secretariat):
    services.set_target(secretariat, "introductions_made", YEAR, 3)
    services.set_target(secretariat, "needs_received", YEAR, 0)
    services.enter_manual_value(secretariat, "jobs_created", YEAR, 12, "聞き取り調査")
    services.score_evaluation(secretariat, YEAR, (60, 80, 90), ("進捗は順調", "", ""))
    db.session.commit()
    login_as(secretariat)
    page = client.get(f"/kpis/manage/?year={YEAR}")
    assert page.status_code == 200
    return _dashboard_figures(page.get_data(as_text=True))


def test_dashboard_shows_actual_target_and_ratio(report_pages):
    assert report_pages["introductions_made"] == ("4", "3", "133%")
    assert report_pages["needs_received"] == ("5", "0", "—")
    assert report_pages["members_total"] == ("2", "—", "—")
    assert report_pages["jobs_created"] == ("12", "—", "—")
    assert len(report_pages) == 21


def test_workbook_holds_the_page_figures(report_pages, client):
    response = client.get(f"/kpis/manage/report/{YEAR}.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert len(workbook.sheetnames) == 7
    sheet = workbook[workbook.sheetnames[0]]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("指標", "単位", "実績", "目標", "進捗度")
    by_label = {row[0]: row[2:] for row in rows[1:]}
    assert by_label["引き合わせ件数"] == ("4", "3", "133%")
    assert len(by_label) == len(report_pages)
    evaluation_sheet = workbook[workbook.sheetnames[-1]]
    assert any(row[1:3] == ("4", "80.0") for row in evaluation_sheet.iter_rows(values_only=True) if row[0] == "加重合計")


def test_pdf_holds_the_page_figures_in_japanese(report_pages, client):
    response = client.get(f"/kpis/manage/report/{YEAR}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    # pypdf reads fpdf2's ToUnicode map as UTF-16 and puts a NUL before each character (poppler's
    # pdftotext reads the same file cleanly): drop NULs and spaces, then compare.
    text = re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in reader.pages))
    assert "年度報告" in text
    assert "引き合わせ件数件43133%" in text  # unit, actual, target, achievement ratio in one row
    assert "加重合計480.0" in text
    fonts = {str(font.get("/BaseFont")) for page in reader.pages
             for font in (page["/Resources"].get("/Font") or {}).values() for font in [font.get_object()]}
    assert any("NotoSansCJK" in name for name in fonts)  # embedded Japanese font (subset)


def test_csv_has_bom_and_neutralised_cells(report_pages, client, secretariat):
    response = client.get(f"/kpis/manage/report/{YEAR}.csv")
    assert response.data.startswith(b"\xef\xbb\xbf")
    text = response.data.decode("utf-8-sig")
    assert "引き合わせ件数,件,4,3,133%" in text


def test_unknown_format_or_year_is_404(report_pages, client):
    assert client.get(f"/kpis/manage/report/{YEAR}.exe").status_code == 404
    assert client.get("/kpis/manage/report/99999.pdf").status_code == 404
