"""The indicator catalogue (指標一覧): every KPI's key, translated name, unit and report section."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Indicator:
    key: str
    label: object  # a lazy translated string
    unit: object
    section: str  # pipeline, trials, needs, members, groups, manual
    per_group: bool = False  # also computed per working group
    lower_is_better: bool = False  # days: the ratio is target / actual
    manual: bool = False  # entered by hand, not computed


COUNT, DAYS, YEN, PEOPLE = _l("cases"), _l("days"), _l("yen"), _l("people")

INDICATORS: tuple[Indicator, ...] = (
    Indicator("introductions_made", _l("Introductions made"), COUNT, "trials", per_group=True),
    Indicator("introductions_agreed", _l("Introductions agreed"), COUNT, "trials", per_group=True),
    Indicator("trial_requests_received", _l("Trial requests received"), COUNT, "trials", per_group=True),
    Indicator("trials_started", _l("Trials started"), COUNT, "trials", per_group=True),
    Indicator("trials_completed", _l("Trials completed"), COUNT, "trials", per_group=True),
    Indicator("challenges_posted", _l("Regional challenges posted"), COUNT, "trials"),
    Indicator("challenges_matched", _l("Regional challenges matched"), COUNT, "trials"),
    Indicator("needs_received", _l("Regulatory needs received"), COUNT, "needs", per_group=True),
    Indicator("packages_proposed", _l("Proposal packages submitted"), COUNT, "needs"),
    Indicator("measures_realised", _l("Measures realised (realised + nationwide)"), COUNT, "needs", per_group=True),
    Indicator("needs_existing_measure", _l("Needs answered by an existing measure"), COUNT, "needs", per_group=True),
    Indicator("median_days_to_proposal", _l("Median days from receipt to proposal"), DAYS, "needs",
              lower_is_better=True),
    Indicator("median_days_to_introduction", _l("Median days from trial request to first introduction"), DAYS,
              "trials", lower_is_better=True),
    Indicator("members_total", _l("Members at the end of the year"), _l("organisations"), "members", per_group=True),
    Indicator("members_joined", _l("Members joined"), _l("organisations"), "members"),
    Indicator("members_withdrawn", _l("Members withdrawn"), _l("organisations"), "members"),
    Indicator("meetings_held", _l("Meetings held"), _l("meetings"), "groups", per_group=True),
    Indicator("meeting_attendance", _l("Meeting attendance"), PEOPLE, "groups", per_group=True),
    Indicator("external_funding", _l("External funding won"), YEN, "manual", manual=True),
    Indicator("jobs_created", _l("Jobs created"), PEOPLE, "manual", manual=True),
    Indicator("companies_founded", _l("Companies founded or relocated"), COUNT, "manual", manual=True),
)
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
COMPUTED = tuple(i for i in INDICATORS if not i.manual)
MANUAL = tuple(i for i in INDICATORS if i.manual)
PER_GROUP = tuple(i for i in INDICATORS if i.per_group)

SECTION_LABELS = {
    "trials": _l("Field trials and introductions"),
    "needs": _l("Regulatory needs and proposals"),
    "members": _l("Members and their mix"),
    "groups": _l("Working groups"),
    "manual": _l("Entered by hand"),
}
PART_LABELS = {
    "i": _l("I. Progress toward goals"),
    "ii": _l("II. Use of support measures and own initiatives"),
    "iii": _l("III. Overall progress on policy issues"),
}
