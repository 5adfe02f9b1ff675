"""The app-wide CSRF check: every POST endpoint refuses a request without the token (views rely on it)."""
from __future__ import annotations

from models import Role


def test_every_post_endpoint_refuses_a_missing_csrf_token(app, client, login_as):
    login_as(Role.ADMIN)
    checked = 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint == "static":
            continue
        if rule.endpoint.startswith("api."):
            # The JSON API is exempt: it ignores the session cookie and needs a bearer token (tests/api/test_tokens.py).
            assert client.post(url := rule.build({arg: 1 for arg in rule.arguments}, append_unknown=False)[1]).status_code == 401, url
            continue
        url = rule.build({arg: 1 for arg in rule.arguments}, append_unknown=False)[1]
        response = client.post(url, data={})
        assert response.status_code == 400, (rule.rule, response.status_code)
        checked += 1
    assert checked > 40
