"""Languages: Japanese by default, English on request, remembered in a cookie and on the account."""
from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, request
from flask_login import current_user

LANG_COOKIE = "lang"
APP_DIR = Path(__file__).resolve().parents[1]


def translation_directories() -> list[Path]:
    """Every `translations/` folder of the app: the foundation's and one per domain blueprint."""
    return sorted(p for p in APP_DIR.glob("**/translations") if p.is_dir())


def supported(locale: str | None) -> str | None:
    if locale in current_app.config["LANGUAGES"]:
        return locale
    return None


def select_locale() -> str:
    """The account's language, else the cookie, else Japanese. Unknown values fall back to Japanese.

    The JSON API answers in the language of the request's Accept-Language header (Japanese by default).
    """
    if request.path.startswith("/api/v1/"):
        return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated:
        chosen = supported(current_user.locale)
        if chosen:
            return chosen
    return supported(request.cookies.get(LANG_COOKIE)) or current_app.config["BABEL_DEFAULT_LOCALE"]


def compile_catalogs() -> list[Path]:
    """Compile every messages.po into messages.mo when the .po is newer. Returns what was compiled."""
    compiled = []
    for directory in translation_directories():
        for po_path in directory.glob("*/LC_MESSAGES/messages.po"):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parent.parent.name)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)
            compiled.append(mo_path)
    return compiled
