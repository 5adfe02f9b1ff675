"""The members panel on the dashboard, per role."""
from __future__ import annotations


def test_the_secretariat_panel_counts_waiting_applications(client, login_as, secretariat, application):
    login_as(secretariat)
    text = client.get("/dashboard").get_data(as_text=True)
    assert "申込を審査する" in text and '<span class="badge">1</span>' in text


def test_an_applicant_is_invited_to_apply(client, login_as, applicant):
    login_as(applicant)
    assert "/members/apply" in client.get("/dashboard").get_data(as_text=True)


def test_a_member_gets_links_to_their_organisation(client, login_as, member):
    login_as(member)
    text = client.get("/dashboard").get_data(as_text=True)
    assert f"/members/{member.organisation_id}/colleagues" in text and "/members/apply" not in text
