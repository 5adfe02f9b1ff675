"""The demo opens the public figures page and sets this year's targets."""
from __future__ import annotations

from app.demo import load_demo
from app.demo.kpis import PUBLIC, TARGETS
from models import db
from models.kpis import KpiTarget


def test_demo_publishes_figures_and_sets_targets(client):
    load_demo()
    db.session.commit()
    html = client.get("/kpis/").get_data(as_text=True)
    assert html.count("data-indicator=") == len(PUBLIC)
    assert {t.indicator for t in db.session.scalars(db.select(KpiTarget))} == set(TARGETS)
