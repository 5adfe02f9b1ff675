"""Translated labels of the trial enums (lazy strings, shown in the reader's language)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from models import ChallengeStatus, ProposalStatus, SiteKind, TrialRequestStatus

SITE_KIND_LABELS = {
    SiteKind.SPACEPORT: _l("Spaceport"),
    SiteKind.PERMIT_OFFICE: _l("Permit office"),
    SiteKind.ROCKET_TEST: _l("Rocket test site"),
    SiteKind.UNIVERSITY: _l("University campus"),
    SiteKind.CCS_DEMO: _l("CCS demonstration"),
    SiteKind.HYDROGEN: _l("Hydrogen site"),
    SiteKind.TEST_ROAD: _l("Test road"),
    SiteKind.DATA_CENTER: _l("Data centre"),
    SiteKind.INDUSTRIAL_ZONE: _l("Industrial zone"),
    SiteKind.OFFSHORE_WIND: _l("Offshore wind area"),
    SiteKind.WIND: _l("Onshore wind"),
    SiteKind.GRID: _l("Grid facility"),
    SiteKind.ENERGY_HUB: _l("Energy hub"),
    SiteKind.SEMICONDUCTOR_FAB: _l("Semiconductor fab"),
    SiteKind.SMART_AGRICULTURE: _l("Smart agriculture field"),
    SiteKind.DRONE_FIELD: _l("Drone field"),
    SiteKind.MUNICIPAL_PROGRAM: _l("Municipal trial programme"),
    SiteKind.MEDICAL: _l("Medical facility"),
    SiteKind.VEHICLE_TEST_COURSE: _l("Vehicle test course"),
    SiteKind.ROBOT_TEST_FIELD: _l("Robot test field"),
    SiteKind.SMART_CITY: _l("Smart city"),
    SiteKind.PORT: _l("Port / sea area"),
    SiteKind.FARM: _l("Farm"),
    SiteKind.SNOWFIELD: _l("Snowfield"),
    SiteKind.FACILITY: _l("Facility"),
    SiteKind.OTHER: _l("Other"),
}

STATUS_LABELS = {
    TrialRequestStatus.SUBMITTED: _l("Received"),
    TrialRequestStatus.SCREENING: _l("Screening"),
    TrialRequestStatus.MATCHING: _l("Matching"),
    TrialRequestStatus.INTRODUCED: _l("Introduced"),
    TrialRequestStatus.AGREED: _l("Trial agreed"),
    TrialRequestStatus.RUNNING: _l("Running"),
    TrialRequestStatus.COMPLETED: _l("Completed"),
    TrialRequestStatus.WITHDRAWN: _l("Withdrawn"),
    TrialRequestStatus.DECLINED: _l("Declined"),
}

CHALLENGE_STATUS_LABELS = {ChallengeStatus.OPEN: _l("Open"), ChallengeStatus.CLOSED: _l("Closed")}

PROPOSAL_STATUS_LABELS = {
    ProposalStatus.SUBMITTED: _l("Received"),
    ProposalStatus.SHORTLISTED: _l("Shortlisted"),
    ProposalStatus.ACCEPTED: _l("Accepted"),
    ProposalStatus.NOT_SELECTED: _l("Not selected"),
}

SEASONS = {
    "winter": (_l("Winter (Dec–Feb)"), (12, 1, 2)),
    "spring": (_l("Spring (Mar–May)"), (3, 4, 5)),
    "summer": (_l("Summer (Jun–Aug)"), (6, 7, 8)),
    "autumn": (_l("Autumn (Sep–Nov)"), (9, 10, 11)),
}

MONTH_LABELS = {m: _l("Month %(month)s", month=m) for m in range(1, 13)}


def season_mask(season: str) -> int:
    return sum(1 << (m - 1) for m in SEASONS[season][1])

ACTION_LABELS = {
    "trial_request.submitted": _l("Request submitted"),
    "trial_request.edited": _l("Request edited"),
    "trial_request.status": _l("Status changed"),
    "trial_request.message": _l("Message sent"),
    "trial_request.routed": _l("Routed to a working group"),
}
