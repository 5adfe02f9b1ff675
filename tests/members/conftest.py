"""Builders for the members tests: organisations with people, applications."""
from __future__ import annotations

import pytest

from models import MembershipApplication, MembershipTier, Role, db


@pytest.fixture(autouse=True)
def _request_context(app):
    """Services translate their messages, which needs a request context (the page's language)."""
    with app.test_request_context("/"):
        yield


@pytest.fixture
def org_with_people(make_organisation, make_user):
    """An active member organisation with an admin and a colleague: (organisation, admin, colleague)."""

    def make(name: str | None = None, **fields):
        organisation = make_organisation(name, **fields)
        admin = make_user(Role.MEMBER, organisation=organisation, is_org_admin=True)
        colleague = make_user(Role.MEMBER, organisation=organisation)
        return organisation, admin, colleague

    return make


@pytest.fixture
def application(applicant):
    """An open application of the applicant fixture's organisation."""
    item = MembershipApplication(organisation=applicant.organisation, applicant=applicant, tier=MembershipTier.REGULAR)
    db.session.add(item)
    db.session.commit()
    return item
