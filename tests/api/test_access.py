"""For every declared operation: 401 without a token where one is needed, 403 for a read-only token on a
write, 401 for an unknown token even on public data. Driven by the registry, so a new endpoint is covered."""
from __future__ import annotations

import pytest

from app.api.auth import PUBLIC, WRITE
from app.api.operations import OPERATIONS
from models import Role, TokenScope


def _url(op) -> str:
    return op.path.format(**{name: 1 for name in op.path_params})


PROTECTED = [op for op in OPERATIONS if op.access != PUBLIC]
WRITES = [op for op in OPERATIONS if op.access == WRITE]


def test_the_registry_has_every_resource():
    tags = {op.tag for op in OPERATIONS}
    assert {"organisations", "trial sites", "trial requests", "needs", "matches", "introductions", "working groups"} <= tags
    assert len(WRITES) >= 9


@pytest.mark.parametrize("op", PROTECTED, ids=lambda op: f"{op.method} {op.path}")
def test_401_without_a_token(api, op):
    response = api.call(op.method, _url(op), json={} if op.body else None)
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("op", WRITES, ids=lambda op: f"{op.method} {op.path}")
def test_403_with_a_read_token_on_a_write(api, make_user, token_for, op):
    secret = token_for(make_user(Role.SECRETARIAT), TokenScope.READ)
    response = api.call(op.method, _url(op), secret, json={} if op.body else None)
    assert response.status_code == 403
    assert response.json["status"] == 403


@pytest.mark.parametrize("op", [op for op in OPERATIONS if op.access == PUBLIC], ids=lambda op: f"{op.method} {op.path}")
def test_an_unknown_token_is_401_even_on_public_data(api, op):
    response = api.call(op.method, _url(op), "tdt_not-a-real-token")
    assert response.status_code == 401
