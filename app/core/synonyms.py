"""The matcher's synonym dictionary as the secretariat extends it.

The `matching` library ships a bilingual table (ドローン = UAV = drone ...). The secretariat adds its
own groups on a page; they are kept as a TSV data file in the instance folder (one group per line,
first term canonical) and win over the shipped ones. Every index the app builds uses
`matching_analyzer()`, which reloads the file when it changes (in every worker).
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from app.core import audit
from matching import Analyzer, load_synonyms
from models import User

log = logging.getLogger(__name__)

FILENAME = "synonyms.tsv"
MAX_GROUPS = 1000
MAX_TERM_LENGTH = 60
SEPARATORS = ("\t", "=", ",", "、", "＝")

_lock = threading.Lock()
_cached: dict[str, object] = {"key": None, "analyzer": None}


class SynonymsRefused(Exception):
    """The text has lines that are not synonym groups; `errors` lists them."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def synonyms_path() -> Path:
    return Path(current_app.instance_path) / FILENAME


def parse_groups(text: str) -> list[list[str]]:
    """Groups from the page's text: one per line, terms separated by = , 、 or tabs; # starts a comment."""
    groups, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        for separator in SEPARATORS:
            line = line.replace(separator, "\t")
        terms = list(dict.fromkeys(t.strip() for t in line.split("\t") if t.strip()))
        if len(terms) < 2:
            errors.append(_("Line %(number)s: give at least two terms that mean the same.", number=number))
        elif any(len(t) > MAX_TERM_LENGTH for t in terms):
            errors.append(_("Line %(number)s: a term is longer than %(max)s characters.", number=number, max=MAX_TERM_LENGTH))
        else:
            groups.append(terms)
    if len(groups) > MAX_GROUPS:
        errors.append(_("At most %(max)s lines.", max=MAX_GROUPS))
    if errors:
        raise SynonymsRefused(errors)
    return groups


def current_text() -> str:
    """The secretariat's groups as the page shows them: one line each, terms joined by " = "."""
    path = synonyms_path()
    if not path.exists():
        return ""
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(" = ".join(t for t in line.split("\t") if t) for line in lines if line.strip())


def save_synonyms(actor: User, text: str) -> int:
    """Replace the secretariat's groups. Returns how many groups were saved; raises SynonymsRefused."""
    groups = parse_groups(text)
    path = synonyms_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text("".join("\t".join(g) + "\n" for g in groups), encoding="utf-8")
    temporary.replace(path)  # atomic: a worker never reads half a file
    audit.record("synonyms.saved", None, actor=actor, groups=len(groups))
    return len(groups)


def matching_analyzer() -> Analyzer | None:
    """The analyzer with the secretariat's groups, or None (the library's default) when there are none."""
    path = synonyms_path()
    try:
        key = (str(path), path.stat().st_mtime_ns)
    except FileNotFoundError:
        return None
    with _lock:
        if _cached["key"] != key:
            log.info("loading the secretariat's synonyms from %s", path)
            _cached["analyzer"] = Analyzer(synonyms=load_synonyms(path))
            _cached["key"] = key
        return _cached["analyzer"]  # type: ignore[return-value]
