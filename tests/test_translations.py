"""Every user-facing string in code and templates has a Japanese translation."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app.core.i18n import translation_directories

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "N_": None}
METHOD_MAP = [("app/**.py", "python"), ("models/**.py", "python"), ("templates/**.html", "jinja2")]


def _japanese_catalog() -> dict[str, str]:
    merged: dict[str, str] = {}
    for directory in translation_directories():
        po_path = directory / "ja" / "LC_MESSAGES" / "messages.po"
        if po_path.exists():
            with po_path.open("rb") as handle:
                for message in read_po(handle, locale="ja"):
                    if message.id and message.string and message.id not in merged:
                        # plural entries: the singular msgid, and the (one, in Japanese) translated form
                        string = message.string if isinstance(message.string, str) else message.string[0]
                        if string:
                            merged[message.id if isinstance(message.id, str) else message.id[0]] = string
    return merged


def _extracted_ids() -> dict[str, str]:
    found: dict[str, str] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=METHOD_MAP, keywords=KEYWORDS
    ):
        msgid = message if isinstance(message, str) else message[0]
        if msgid:
            found.setdefault(msgid, filename)
    return found


def test_every_message_has_a_japanese_translation():
    catalog = _japanese_catalog()
    missing = {msgid: where for msgid, where in _extracted_ids().items() if msgid not in catalog}
    assert not missing, "untranslated (add them to a ja messages.po):\n" + "\n".join(f"{w}: {m!r}" for m, w in missing.items())


def test_translations_keep_their_placeholders():
    import re

    placeholder = re.compile(r"%\((\w+)\)s")
    catalog = _japanese_catalog()
    wrong = [m for m, s in catalog.items() if set(placeholder.findall(m)) != set(placeholder.findall(s))]
    assert not wrong, wrong


def test_one_english_message_has_one_japanese_translation_across_domains():
    """Catalogs are merged: the same msgid translated differently in two domains would show the wrong word in one.

    Give a message that means different things in two domains a more specific English text instead.
    """
    seen: dict[str, dict[str, str]] = {}
    for directory in translation_directories():
        po_path = directory / "ja" / "LC_MESSAGES" / "messages.po"
        if not po_path.exists():
            continue
        with po_path.open("rb") as handle:
            for message in read_po(handle, locale="ja"):
                if message.id and message.string:
                    seen.setdefault(str(message.id), {})[str(directory.relative_to(ROOT))] = str(message.string)
    clashes = {msgid: where for msgid, where in seen.items() if len(set(where.values())) > 1}
    assert not clashes, "\n".join(f"{m!r}: {w}" for m, w in clashes.items())


def _domain_of(filename: str) -> str | None:
    """The domain a source file belongs to: app/<domain>/... or templates/<domain>/..."""
    parts = Path(filename).parts
    if len(parts) > 2 and parts[0] in ("app", "templates"):
        return parts[1]
    return None


@pytest.mark.parametrize("domain", ["kpis", "needs"])
def test_a_domain_catalogue_holds_only_messages_its_own_code_and_templates_use(domain):
    """A message lives in the catalogue of the domain whose pages show it (e.g. "Export PDF" of the
    proposal packages' page in needs, not in kpis): a catalogue moved or dropped with its domain then
    takes exactly its own messages along."""
    used: dict[str, set[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(str(ROOT), method_map=METHOD_MAP,
                                                                             keywords=KEYWORDS):
        msgid = message if isinstance(message, str) else message[0]
        used.setdefault(msgid, set()).add(_domain_of(filename))
    po_path = ROOT / "app" / domain / "translations" / "ja" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        held = [str(m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle, locale="ja") if m.id]
    strays = {msgid: sorted(d or "-" for d in used.get(msgid, ())) for msgid in held if domain not in used.get(msgid, ())}
    assert not strays, f"held by {domain}'s catalogue but not used by its code or templates: {strays}"
