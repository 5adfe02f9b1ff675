"""The navigation entries of every blueprint, registered once per process."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from models import Role

from .navigation import ANONYMOUS, EVERYONE, LOGGED_IN, STAFF, navigation

_registered = False


def register_navigation() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    navigation.add("main.home", _l("Home"), EVERYONE, order=0)
    navigation.add("main.dashboard", _l("Dashboard"), *LOGGED_IN, order=1)
    navigation.add("admin.users", _l("Users"), Role.ADMIN, order=90, section="manage")
    navigation.add("groups.index", _l("Working groups"), EVERYONE, order=20)
    navigation.add("groups.activity", _l("Working-group activity"), *STAFF, order=40, section="manage")
    navigation.add("needs.index", _l("Regulatory needs"), EVERYONE, order=20)
    navigation.add("needs.board", _l("Needs board"), *STAFF, order=20, section="manage")
    navigation.add("needs.manage_list", _l("All needs"), *STAFF, order=21, section="manage")
    navigation.add("needs.package_list", _l("Proposal packages"), *STAFF, order=22, section="manage")
    navigation.add("needs.measures", _l("Special-measure catalogue"), *STAFF, order=23, section="manage")
    navigation.add("auth.register", _l("Register"), ANONYMOUS, order=98)
    navigation.add("members.directory_page", _l("Member directory"), *STAFF, Role.MEMBER, order=10)
    navigation.add("members.public_list", _l("Our members"), ANONYMOUS, Role.APPLICANT, order=10)
    navigation.add("members.apply", _l("Membership"), Role.APPLICANT, order=11)
    navigation.add("members.governance", _l("Governance"), EVERYONE, order=80)
    navigation.add("members.applications", _l("Membership applications"), *STAFF, order=20, section="manage")
    navigation.add("members.dues", _l("Dues"), *STAFF, order=21, section="manage")
    navigation.add("members.mix", _l("Membership mix"), *STAFF, order=22, section="manage")
    navigation.add("members.offices", _l("Offices"), *STAFF, order=23, section="manage")
    navigation.add("members.import_page", _l("Import organisations"), *STAFF, order=24, section="manage")
    navigation.add("trials.sites", _l("Trial sites"), EVERYONE, order=30)
    navigation.add("trials.challenges", _l("Regional challenges"), EVERYONE, order=32)
    navigation.add("trials.requests", _l("Field-trial requests"), Role.MEMBER, Role.APPLICANT, order=31)
    navigation.add("introductions.index", _l("Introductions"), Role.MEMBER, Role.APPLICANT, order=33)
    navigation.add("trials.requests", _l("Field-trial requests"), *STAFF, order=30, section="manage")
    navigation.add("introductions.index", _l("Introductions"), *STAFF, order=31, section="manage")
    navigation.add("introductions.synonyms", _l("Matcher synonyms"), *STAFF, order=32, section="manage")
    navigation.add("kpis.dashboard", _l("KPIs and annual report"), *STAFF, order=5, section="manage")
    navigation.add("kpis.my_organisation", _l("Our activity"), Role.MEMBER, order=40)
