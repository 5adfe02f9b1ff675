"""Translated labels of the membership enums, one dict per enum."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from models import (
    ApplicationStatus,
    ChangeKind,
    ChangeRequestStatus,
    DueStatus,
    IndustryCategory,
    MembershipTier,
    OfficeKind,
    OrganisationStatus,
    Sector,
    SupportKind,
)

SECTOR_LABELS = {
    Sector.INDUSTRY: _l("Industry (産)"),
    Sector.ACADEMIA: _l("Academia (学)"),
    Sector.GOVERNMENT: _l("Government (官)"),
    Sector.CITIZENS: _l("Citizens / NPO (民)"),
    Sector.FINANCE: _l("Finance (金)"),
}
CATEGORY_LABELS = {
    IndustryCategory.LOCAL_LARGE: _l("Local large firm"),
    IndustryCategory.TOKYO_BASED: _l("Tokyo-based firm"),
    IndustryCategory.SME: _l("SME"),
    IndustryCategory.STARTUP: _l("Startup"),
}
STATUS_LABELS = {
    OrganisationStatus.APPLICANT: _l("Applicant"),
    OrganisationStatus.ACTIVE: _l("Active member"),
    OrganisationStatus.SUSPENDED: _l("Suspended"),
    OrganisationStatus.WITHDRAWN: _l("Withdrawn from membership"),
}
TIER_LABELS = {
    MembershipTier.REGULAR: _l("Regular member"),
    MembershipTier.SUPPORTING: _l("Supporting member"),
    MembershipTier.SPECIAL: _l("Special member"),
}
APPLICATION_STATUS_LABELS = {
    ApplicationStatus.SUBMITTED: _l("Waiting for a decision"),
    ApplicationStatus.APPROVED: _l("Approved"),
    ApplicationStatus.REJECTED: _l("Rejected"),
}
CHANGE_KIND_LABELS = {
    ChangeKind.SECTOR: _l("Sector"),
    ChangeKind.TIER: _l("Membership tier"),
    ChangeKind.STATUS: _l("Membership status"),
}
CHANGE_STATUS_LABELS = {
    ChangeRequestStatus.PENDING: _l("Waiting for the secretariat"),
    ChangeRequestStatus.APPROVED: _l("Approved"),
    ChangeRequestStatus.REJECTED: _l("Rejected"),
}
OFFICE_LABELS = {
    OfficeKind.CHAIR: _l("President"),
    OfficeKind.VICE_CHAIR: _l("Vice-chair"),
    OfficeKind.BOARD: _l("Steering board member"),
}
DUE_STATUS_LABELS = {
    DueStatus.INVOICED: _l("Invoiced"),
    DueStatus.PAID: _l("Paid"),
    DueStatus.WAIVED: _l("Waived"),
}
TAG_KIND_LABELS = {
    "technologies": _l("Technologies"),
    "facilities": _l("Facilities"),
    "data": _l("Data"),
    "customers": _l("Customers"),
    "fields": _l("Fields"),
}
SERVICE_SCOPE_LABELS = {  # Organisation.service_scope: where it works, for the matcher
    "": _l("Not stated (read from your description)"),
    "municipalities": _l("Only in the places listed"),
    "radius": _l("Within a distance of our office"),
    "hokkaido": _l("All of Hokkaido"),
    "nationwide": _l("Nationwide"),
}
STATUS_CLASSES = {
    OrganisationStatus.APPLICANT: "status-warn",
    OrganisationStatus.ACTIVE: "status-ok",
    OrganisationStatus.SUSPENDED: "status-danger",
    OrganisationStatus.WITHDRAWN: "",
}


def change_value_label(kind: ChangeKind, value: str, category: str = "") -> str:
    """The translated label of a requested (or former) sector, tier or status, stored as text."""
    table = {ChangeKind.SECTOR: SECTOR_LABELS, ChangeKind.TIER: TIER_LABELS, ChangeKind.STATUS: STATUS_LABELS}[kind]
    by_value = {member.value: label for member, label in table.items()}
    label = str(by_value.get(value, value or "—"))
    categories = {member.value: label for member, label in CATEGORY_LABELS.items()}
    if category in categories:
        label += f" ({categories[category]})"
    return label


def template_labels() -> dict:
    return {
        "change_kind_labels": CHANGE_KIND_LABELS,
        "change_status_labels": CHANGE_STATUS_LABELS,
        "change_value_label": change_value_label,
        "sector_labels": SECTOR_LABELS,
        "category_labels": CATEGORY_LABELS,
        "org_status_labels": STATUS_LABELS,
        "org_status_classes": STATUS_CLASSES,
        "tier_labels": TIER_LABELS,
        "application_status_labels": APPLICATION_STATUS_LABELS,
        "office_labels": OFFICE_LABELS,
        "due_status_labels": DUE_STATUS_LABELS,
        "tag_kind_labels": TAG_KIND_LABELS,
        "support_labels": SUPPORT_LABELS_BY_VALUE,
        "service_scope_labels": SERVICE_SCOPE_LABELS,
    }

SUPPORT_LABELS = {
    SupportKind.SITE_COORDINATION: _l("Site coordination"),
    SupportKind.PR: _l("PR support"),
    SupportKind.MONITORS: _l("Monitor recruitment"),
    SupportKind.PERMITS: _l("Permit consultation"),
    SupportKind.PARTNERS: _l("Partner matching"),
    SupportKind.FUNDING: _l("External funding"),
}
# The same labels keyed by the stored value (requests, organisations and match reasons store values).
SUPPORT_LABELS_BY_VALUE = {kind.value: label for kind, label in SUPPORT_LABELS.items()}
