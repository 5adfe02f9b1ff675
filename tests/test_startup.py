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


def test_the_directory_records_and_the_ranking_tables_are_ready_before_the_workers_fork(app, make_organisation):
    """What the master keeps for its workers: every organisation as a normalised search record (a
    worker's first search then reads only the organisations' keys) and the gazetteer."""
    from sqlalchemy import select

    from app.core.analyses import analyzer
    from app.members import directory_queries
    from matching import load_tables
    from matching.places import default_gazetteer
    from models import Organisation
    from tests.statements import counted_statements

    for name in ("水素の会社", "ドローンの会社"):
        make_organisation(name)
    directory_queries._records.clear()
    assert directory_queries.keep_every_record() == 2
    with counted_statements() as statements:
        records = directory_queries.search_records(select(Organisation))
    assert len(statements) == 1 and "name_ja" not in statements[0]  # the keys only: the fields were kept
    assert all("normalised" in vars(record) for record in records)  # normalised once, before the fork

    default_gazetteer.cache_clear()
    load_tables(analyzer())
    assert default_gazetteer.cache_info().currsize == 1
