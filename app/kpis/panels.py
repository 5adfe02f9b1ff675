"""The KPI domain's dashboard panel: the secretariat's report links; a member's own activity page and the
evaluation sheets it has been named to score."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.core.fiscal import current_fiscal_year
from app.web.registry import Panel
from models import Role, db
from models.kpis import Evaluator


def kpis_panel(user) -> Panel | None:
    if user.is_staff:
        return Panel(_("KPIs and annual report"), [(_("Dashboard of indicators"), url_for("kpis.dashboard")),
                                                   (_("Evaluation sheet"), url_for("kpis.evaluation", year=current_fiscal_year()))],
                     order=15)
    links = []
    if user.role == Role.MEMBER and user.organisation_id is not None:
        links.append((_("Our activity"), url_for("kpis.my_organisation")))
    years = db.session.scalars(select(Evaluator.fiscal_year).where(Evaluator.user_id == user.id)
                               .order_by(Evaluator.fiscal_year.desc()).limit(3))
    links += [(_("Evaluate FY%(year)s", year=year), url_for("kpis.score", year=year)) for year in years]
    return Panel(_("Activity and evaluation"), links, order=60) if links else None
