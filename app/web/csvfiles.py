"""CSV as Excel writes and reads it: UTF-8 (with or without BOM) or Shift_JIS/CP932 in; UTF-8 with BOM out,
with formula-looking cells neutralised against CSV injection."""
from __future__ import annotations

import csv
import io
from typing import Iterable

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class UnreadableFile(Exception):
    """The bytes are neither UTF-8 nor CP932 text."""


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (a BOM is dropped) first, else CP932, the superset of Shift_JIS Excel writes."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile()


def read_rows(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Header (stripped) and rows as dicts of stripped strings."""
    reader = csv.DictReader(io.StringIO(decode(data), newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    rows = [{key: (value or "").strip() for key, value in row.items() if key is not None} for row in reader]
    return header, rows


def neutralise(value: object) -> str:
    """A cell value that no spreadsheet runs as a formula: a leading apostrophe on dangerous starts."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    """UTF-8 with a BOM (so Excel opens Japanese correctly), CRLF line ends, every cell neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")
