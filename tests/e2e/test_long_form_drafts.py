"""Every long form keeps what was typed in the browser until the server has saved it."""
from __future__ import annotations

import re

from .conftest import DEMO_PASSWORD, login, screenshot

APPLICANT = "applicant@demo.example"


def _login_again(page) -> None:
    page.wait_for_url("**/auth/login**")
    page.fill("#email", APPLICANT)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#submit")


def test_a_trial_request_survives_an_expired_session_and_is_dropped_once_saved(page):
    login(page, APPLICANT)
    page.goto("/trials/requests/new")
    page.fill("#title", "吹雪の中の除雪ロボット")
    page.fill("#verify", "視界ゼロでも歩道を自律走行できるか")
    page.context.clear_cookies()  # the session expires (or the server is down) while the form is open
    page.goto("/trials/requests/new")
    _login_again(page)
    page.wait_for_url("**/trials/requests/new")
    assert page.input_value("#title") == "吹雪の中の除雪ロボット"
    assert page.input_value("#verify") == "視界ゼロでも歩道を自律走行できるか"
    screenshot(page, "draft-restored-trial-request-ja")
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/trials/requests/\d+(\?saved=1)?$"))
    page.goto("/trials/requests/new")
    assert page.input_value("#verify") == ""  # saved on the server, so the browser copy is gone

