"""The year's report as .xlsx (a sheet per part), PDF (embedded Japanese font, charts and tables) and the
indicator table as CSV (BOM, formulas neutralised). All three read the same `YearReport` as the page."""
from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from app.web.csvfiles import neutralise, write_csv
from app.web.pdf import ChartBar, PdfDocument

from . import report_queries
from .labels import PART_LABELS, PER_GROUP
from .report_queries import YearReport, format_ratio, format_value


def fy(year: int) -> str:
    return _("FY%(year)s", year=year)


def indicator_header() -> list[str]:
    return [_("Indicator"), _("Unit"), _("Actual"), _("Target"), _("Achievement ratio")]


def indicator_rows(report: YearReport) -> list[list[str]]:
    return [[str(line.indicator.label), str(line.indicator.unit), format_value(line.actual), format_value(line.target),
             format_ratio(line.ratio)] for line in report.lines]


def trend_header(report: YearReport) -> list[str]:
    return [_("Indicator"), *[fy(y) for y in report.years]]


def trend_rows(report: YearReport) -> list[list[str]]:
    return [[str(line.indicator.label), *[format_value(line.trend[y]) for y in report.years]] for line in report.lines]


def group_header() -> list[str]:
    return [_("Working group"), *[str(i.label) for i in PER_GROUP]]


def group_rows(report: YearReport, locale: str) -> list[list[str]]:
    rows = []
    for row in report.groups:
        name = row.group.name_en if locale == "en" and row.group.name_en else row.group.name_ja
        rows.append([name, *[format_value(row.figures.get(i.key, 0)) for i in PER_GROUP]])
    return rows


def evaluation_rows(report: YearReport) -> list[list[str]]:
    ev = report.evaluation
    rows = []
    for index, part in enumerate(("i", "ii", "iii")):
        mean = ev.means[index]
        rows.append([str(PART_LABELS[part]), str(ev.weights[index]), "—" if mean is None else f"{mean:.1f}"])
    rows.append([_("Weighted total"), str(sum(ev.weights)), "—" if ev.total is None else f"{ev.total:.1f}"])
    return rows


def evaluation_comments(report: YearReport) -> list[list[str]]:
    out = []
    for score in report.evaluation.scores:
        who = score.evaluator.name if score.evaluator else _("Former account")
        for part, value, comment in (("i", score.score_i, score.comment_i), ("ii", score.score_ii, score.comment_ii),
                                     ("iii", score.score_iii, score.comment_iii)):
            out.append([who, str(PART_LABELS[part]), str(value), comment])
    return out


def funnel_rows(bars: list[report_queries.Bar]) -> list[list[str]]:
    return [[str(bar.label), format_value(bar.value)] for bar in bars]


def indicators_csv(report: YearReport) -> bytes:
    return write_csv(indicator_header(), indicator_rows(report))


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[str]], first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    sheet.append([neutralise(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    sheet.column_dimensions["A"].width = 48
    return sheet


def report_xlsx(report: YearReport, locale: str) -> bytes:
    """A sheet per part of the report; every cell holds the text the page shows."""
    workbook = Workbook()
    _sheet(workbook, _("Indicators"), indicator_header(), indicator_rows(report), first=True)
    _sheet(workbook, _("Trend"), trend_header(report), trend_rows(report))
    _sheet(workbook, _("Working groups"), group_header(), group_rows(report, locale))
    _sheet(workbook, _("Members"), [_("Sector"), _("Number of members")], funnel_rows(report_queries.member_bars(report.members)))
    _sheet(workbook, _("Needs funnel"), [_("State"), _("Needs")], funnel_rows(report_queries.need_funnel_bars(report.need_funnel)))
    _sheet(workbook, _("Trial funnel"), [_("State"), _("Trial requests")],
           funnel_rows(report_queries.trial_funnel_bars(report.trial_funnel)))
    _sheet(workbook, _("Evaluation"), [_("Part"), _("Weight"), _("Score")],
           evaluation_rows(report) + [[""], [_("Evaluator"), _("Part"), _("Score"), _("Comment")]]
           + evaluation_comments(report))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_pdf(report: YearReport, locale: str) -> bytes:
    doc = PdfDocument(_("Annual report %(year)s", year=fy(report.year)))
    doc.heading(_("Annual report %(year)s", year=fy(report.year)), 0)
    doc.paragraph(_("Think & Do Tank of Central Hokkaido: indicators against targets (achievement ratio), "
                    "working-group activity, membership, the pipeline and the evaluation."))
    doc.heading(_("Indicators"), 1)
    doc.table(indicator_header(), indicator_rows(report), widths=(70, 18, 22, 22, 22), numeric_from=2)
    doc.bar_chart([ChartBar(str(line.indicator.label), line.ratio) for line in report.lines if line.ratio is not None],
                  _("Achievement ratio (%)"))
    doc.heading(_("Trend"), 1)
    doc.table(trend_header(report), trend_rows(report), widths=(70, *[22] * len(report.years)))
    doc.heading(_("Working groups"), 1)
    doc.table(group_header(), group_rows(report, locale))
    doc.heading(_("Members by sector and category"), 1)
    members = report_queries.member_bars(report.members)
    doc.bar_chart([ChartBar(str(b.label), b.value) for b in members])
    doc.table([_("Sector"), _("Number of members")], funnel_rows(members), widths=(120, 60))
    doc.heading(_("Needs received in the year, by state"), 1)
    needs = report_queries.need_funnel_bars(report.need_funnel)
    doc.bar_chart([ChartBar(str(b.label), b.value) for b in needs])
    doc.table([_("State"), _("Needs")], funnel_rows(needs), widths=(120, 60))
    doc.heading(_("Trial requests received in the year, by state"), 1)
    trials = report_queries.trial_funnel_bars(report.trial_funnel)
    doc.bar_chart([ChartBar(str(b.label), b.value) for b in trials])
    doc.table([_("State"), _("Trial requests")], funnel_rows(trials), widths=(120, 60))
    doc.heading(_("Evaluation"), 1)
    doc.table([_("Part"), _("Weight"), _("Score")], evaluation_rows(report), widths=(120, 30, 30))
    for who, part, score, comment in evaluation_comments(report):
        doc.labelled(f"{who} — {part} ({score})", comment)
    return doc.output()


__all__ = ["indicators_csv", "report_pdf", "report_xlsx"]
