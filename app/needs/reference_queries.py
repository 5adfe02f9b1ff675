"""Reference data: the laws on file and the special-measure catalogue, from app/needs/data/."""
from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from models import Law, SpecialMeasure, db

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference_data() -> tuple[int, int]:
    """Insert or update the laws; add the catalogue's measures that are not there yet (the
    secretariat's edits to existing measures are kept)."""
    laws = {law.code: law for law in db.session.scalars(select(Law))}
    for row in _rows("laws.csv"):
        law = laws.get(row["id"]) or Law(code=row["id"])
        db.session.add(law)
        law.title_ja, law.short_ja, law.title_en = row["title_ja"], row["short_ja"], row["title_en"]
        law.law_number_ja, law.ministry_en, law.keywords = row["law_number_ja"], row["ministry_en"], row["keywords"]
    measures = {m.code: m for m in db.session.scalars(select(SpecialMeasure))}
    menu_rows = _rows("menus.csv")
    for row in menu_rows:
        measure = measures.get(row["id"])
        if measure is None:
            measure = SpecialMeasure(code=row["id"], name_ja=row["name_ja"], name_en=row["name_en"], law=row["law"],
                                     field_tags=row["field"], summary=row["summary_en"], is_active=True)
            db.session.add(measure)
    db.session.flush()
    return len(_rows("laws.csv")), len(menu_rows)
