"""The one way the platform writes PDF: Japanese text in an embedded, subset Noto Sans CJK font (Debian's
fonts-noto-cjk), headings, paragraphs, tables and horizontal bar charts. Used by the year's KPI report
and by the proposal packages' export."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence


log = logging.getLogger(__name__)

# Debian's fonts-noto-cjk; the first face of the collection is Japanese (JP).
FONT_CANDIDATES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJKjp-Regular.otf"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
)
FAMILY = "NotoSansCJK"
HEADING_FILL = (230, 236, 242)
BAR_COLOURS = ((31, 95, 139), (46, 139, 87), (106, 76, 147), (199, 125, 46), (63, 127, 63), (138, 59, 59))


class FontMissing(RuntimeError):
    """No Japanese font is installed (apt-get install fonts-noto-cjk)."""


def japanese_font() -> Path:
    for path in FONT_CANDIDATES:
        if path.exists():
            return path
    raise FontMissing("fonts-noto-cjk is not installed")


@dataclass(frozen=True)
class ChartBar:
    label: str
    value: float


class PdfDocument:
    """A4 portrait, 15 mm margins, page numbers in the footer. Call `.output()` for the bytes."""

    def __init__(self, title: str) -> None:
        # fpdf2 (with fontTools and Pillow) is imported here, not at the top: it adds about a tenth to
        # every worker's start, and only the exports need it.
        from fpdf import FPDF

        self.pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        self.pdf.set_title(title)
        self.pdf.set_creator("Think & Do Tank platform")
        self.pdf.set_margins(15, 15, 15)
        self.pdf.set_auto_page_break(True, margin=15)
        font = japanese_font()
        options = {"collection_font_number": 0} if font.suffix == ".ttc" else {}
        self.pdf.add_font(FAMILY, fname=str(font), **options)
        self.pdf.add_page()
        self.pdf.set_font(FAMILY, size=10)

    @property
    def width(self) -> float:
        return self.pdf.epw

    def heading(self, text: str, level: int = 1) -> None:
        size = {0: 18, 1: 14, 2: 12}.get(level, 11)
        self.pdf.ln(2 if level else 0)
        self.pdf.set_font(FAMILY, size=size)
        self.pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)
        self.pdf.set_font(FAMILY, size=10)

    def paragraph(self, text: str, size: int = 10) -> None:
        self.pdf.set_font(FAMILY, size=size)
        self.pdf.multi_cell(0, 5, text or "—", new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def labelled(self, label: str, value: str) -> None:
        self.pdf.set_font(FAMILY, size=9)
        self.pdf.multi_cell(0, 4.5, label, new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font(FAMILY, size=10)
        self.pdf.multi_cell(0, 5, value or "—", new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def table(self, header: Sequence[str], rows: Iterable[Sequence[object]], widths: Sequence[int] | None = None,
              numeric_from: int = 1) -> None:
        """Columns from `numeric_from` on are right-aligned (figures)."""
        from fpdf.fonts import FontFace  # see __init__

        align = ["LEFT"] * numeric_from + ["RIGHT"] * (len(header) - numeric_from)
        self.pdf.set_font(FAMILY, size=8.5)
        with self.pdf.table(col_widths=widths, text_align=align, line_height=4.6, first_row_as_headings=True,
                            headings_style=FontFace(emphasis=None, fill_color=HEADING_FILL)) as table:
            head = table.row()
            for cell in header:
                head.cell(str(cell))
            for values in rows:
                row = table.row()
                for cell in values:
                    row.cell("" if cell is None else str(cell))
        self.pdf.ln(2)
        self.pdf.set_font(FAMILY, size=10)

    def bar_chart(self, bars: Sequence[ChartBar], caption: str = "") -> None:
        """Horizontal bars, label on the left, value at the bar's end; drawn as vectors."""
        label_w, value_w, row_h = 62.0, 18.0, 5.2
        area = self.width - label_w - value_w
        needed = row_h * len(bars) + (6 if caption else 0) + 2
        if self.pdf.get_y() + needed > self.pdf.h - self.pdf.b_margin:
            self.pdf.add_page()
        if caption:
            self.pdf.set_font(FAMILY, size=9)
            self.pdf.multi_cell(0, 5, caption, new_x="LMARGIN", new_y="NEXT")
        largest = max((b.value for b in bars), default=0) or 1
        self.pdf.set_font(FAMILY, size=8)
        x0 = self.pdf.l_margin
        for index, bar in enumerate(bars):
            y = self.pdf.get_y()
            self.pdf.set_xy(x0, y)
            self.pdf.cell(label_w - 2, row_h, bar.label[:40], align="R")
            length = area * bar.value / largest
            if length > 0:
                self.pdf.set_fill_color(*BAR_COLOURS[index % len(BAR_COLOURS)])
                self.pdf.rect(x0 + label_w, y + 0.8, length, row_h - 1.6, style="F")
            self.pdf.set_xy(x0 + label_w + length + 1, y)
            self.pdf.cell(value_w, row_h, _figure(bar.value))
            self.pdf.set_xy(x0, y + row_h)
        self.pdf.ln(3)
        self.pdf.set_font(FAMILY, size=10)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _figure(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"
