"""Translated labels of the needs domain's enums."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from models import BusinessStage, Confidentiality, EventKind, NationalRoute, NeedStatus, PackageStatus, Urgency

STATUS_LABELS = {
    NeedStatus.DRAFT: _l("Draft"),
    NeedStatus.RECEIVED: _l("Received"),
    NeedStatus.REGULATION_IDENTIFIED: _l("Regulation identified"),
    NeedStatus.EVIDENCE: _l("Gathering evidence"),
    NeedStatus.LEGAL_CHECK: _l("Legal check"),
    NeedStatus.RELIEF_DRAFTED: _l("Relief drafted"),
    NeedStatus.COORDINATION: _l("Coordination with ministries"),
    NeedStatus.PROPOSED: _l("Proposed"),
    NeedStatus.REALISED: _l("Realised"),
    NeedStatus.NATIONWIDE: _l("Rolled out nationwide"),
    NeedStatus.NOT_TAKEN_UP: _l("Not taken up"),
    NeedStatus.EXISTING_MEASURE: _l("Solved by an existing measure"),
    NeedStatus.WITHDRAWN: _l("Withdrawn"),
}
CONFIDENTIALITY_LABELS = {
    Confidentiality.CONFIDENTIAL: _l("Confidential (own organisation and secretariat)"),
    Confidentiality.MEMBERS: _l("Shared with members"),
    Confidentiality.PUBLIC: _l("Public summary"),
}
STAGE_LABELS = {
    BusinessStage.CONCEPT: _l("Business concept"),
    BusinessStage.FEASIBILITY: _l("Feasibility study"),
    BusinessStage.CONSORTIUM: _l("Consortium formed"),
    BusinessStage.TRIAL: _l("Field trial"),
    BusinessStage.DEPLOYMENT: _l("Deployment"),
}
URGENCY_LABELS = {Urgency.LOW: _l("Low"), Urgency.MEDIUM: _l("Medium"), Urgency.HIGH: _l("High")}
ROUTE_LABELS = {
    NationalRoute.EXISTING_MEASURE: _l("Existing special-zone measure"),
    NationalRoute.GREY_ZONE: _l("Grey-zone resolution system"),
    NationalRoute.NEW_BUSINESS: _l("Special arrangements for new business"),
    NationalRoute.SANDBOX: _l("Regulatory sandbox"),
    NationalRoute.ZONE_PROPOSAL: _l("New special-zone proposal"),
}
EVENT_LABELS = {
    EventKind.SUBMITTED: _l("Submitted"),
    EventKind.STATUS: _l("Status changed"),
    EventKind.INTERNAL_NOTE: _l("Internal note"),
    EventKind.MESSAGE: _l("Message"),
    EventKind.ASSIGNED: _l("Assigned"),
}
PACKAGE_STATUS_LABELS = {
    PackageStatus.DRAFT: _l("Draft"),
    PackageStatus.SUBMITTED: _l("Submitted"),
    PackageStatus.ANSWERED: _l("Ministry answered"),
    PackageStatus.RE_REQUESTED: _l("Re-requested"),
    PackageStatus.HEARING: _l("Hearing"),
    PackageStatus.DECIDED: _l("Decided"),
}


def label_context() -> dict:
    """The label dicts every needs template uses."""
    return {"stage_labels": STAGE_LABELS, "confidentiality_labels": CONFIDENTIALITY_LABELS,
            "urgency_labels": URGENCY_LABELS, "route_labels": ROUTE_LABELS, "event_labels": EVENT_LABELS,
            "package_status_labels": PACKAGE_STATUS_LABELS}
