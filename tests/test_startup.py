"""gunicorn's master prepares the workers before it forks (app.startup): templates compiled once."""
from __future__ import annotations

from pathlib import Path

from app.web.templating import compile_templates

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_every_template_is_compiled_before_the_workers_fork(app):
    app.jinja_env.cache.clear()
    names = {str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")}
    assert compile_templates(app) == len(names)
    cached = {key[1] for key in app.jinja_env.cache.keys()}  # (loader weakref, name)
    assert names <= cached
