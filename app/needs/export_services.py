"""Exports: needs and packages as CSV (BOM for Excel, formulas neutralised) and a package as .docx."""
from __future__ import annotations

import io

from docx import Document
from flask_babel import gettext as _

from app.web.csvfiles import write_csv
from models import ProposalPackage, RegulatoryNeed

from .labels import CONFIDENTIALITY_LABELS, PACKAGE_STATUS_LABELS, ROUTE_LABELS, STAGE_LABELS, STATUS_LABELS
from .permissions import can_see_need_details


def needs_csv(needs: list[RegulatoryNeed], viewer) -> bytes:
    """Visible needs; details only where the viewer may read them."""
    header = [_("ID"), _("Title"), _("Status"), _("Confidentiality"), _("Law or regulation"), _("Article"),
              _("Summary others may read"), _("The obstacle"), _("The relief wanted"), _("Organisation")]
    rows = []
    for need in needs:
        full = can_see_need_details(viewer, need)
        rows.append([need.id, need.title, STATUS_LABELS[need.status], CONFIDENTIALITY_LABELS[need.confidentiality],
                     need.law_name, need.law_article, need.public_summary,
                     need.obstacle if full else "", need.relief if full else "",
                     need.organisation.name_ja if full else ""])
    return write_csv(header, rows)


def package_csv(package: ProposalPackage) -> bytes:
    header = [_("ID"), _("Title"), _("Organisation"), _("Law or regulation"), _("Article"), _("The obstacle"),
              _("The relief wanted"), _("Evidence"), _("National route"), _("Confidentiality")]
    rows = []
    for need in package.needs:
        rows.append([need.id, need.title, need.organisation.name_ja, need.law_name, need.law_article, need.obstacle,
                     need.relief, need.evidence, ROUTE_LABELS[need.national_route] if need.national_route else "",
                     CONFIDENTIALITY_LABELS[need.confidentiality]])
    return write_csv(header, rows)


def package_docx(package: ProposalPackage) -> bytes:
    """The document a Cabinet Office proposal can be drafted from, one section per need."""
    document = Document()
    document.add_heading(package.title, level=0)
    document.add_paragraph(_("Status: %(status)s", status=PACKAGE_STATUS_LABELS[package.status]))
    document.add_heading(_("Proposal"), level=1)
    for paragraph in (package.proposal_text or "").split("\n"):
        document.add_paragraph(paragraph)
    document.add_heading(_("Needs in this package"), level=1)
    for need in package.needs:
        document.add_heading(f"{need.id}. {need.title}", level=2)
        law = " ".join(p for p in (need.law_name, need.law_article) if p) or _("Not yet identified")
        for label, value in (
            (_("Organisation"), need.organisation.name_ja),
            (_("Business stage"), STAGE_LABELS[need.stage] if need.stage else ""),
            (_("What your business wants to do"), need.business),
            (_("Regulation"), law),
            (_("The authority's interpretation, as far as known"), need.interpretation),
            (_("The obstacle"), need.obstacle),
            (_("The relief wanted"), need.relief),
            (_("Evidence"), need.evidence),
            (_("National route"), ROUTE_LABELS[need.national_route] if need.national_route else ""),
            (_("Why this route"), need.route_reason),
        ):
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(str(value or "—"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
