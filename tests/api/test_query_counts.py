"""Every list endpoint costs the same number of SQL statements for 3 rows as for 13 (no query per row)."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.introductions.services import create_introductions, record_run
from matching import Reasons, Result
from models import Confidentiality, GroupMembership, Meeting, MembershipStatus, Role, TokenScope, db


@contextmanager
def counted():
    statements: list[str] = []

    def capture(conn, cursor, statement, *args):
        # The token's bookkeeping depends on the clock (a new rate window, last use once a minute), not on rows.
        if "api_rate_windows" not in statement and not statement.startswith("UPDATE api_tokens"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)


@pytest.fixture
def world(make_user, make_organisation, make_site, make_request, make_need, make_group):
    """`grow(n)` adds n rows of every listed kind, visible to `viewer` (a secretariat user)."""
    from datetime import datetime, timedelta, timezone

    viewer = make_user(Role.SECRETARIAT, email="viewer@example.org")
    secretariat = make_user(Role.SECRETARIAT, email="maker@example.org")
    startup = make_user(Role.APPLICANT, email="startup@example.org")
    group = make_group(member=viewer)

    def grow(n: int) -> None:
        for i in range(n):
            owner = make_organisation(f"団体{i}")
            site = make_site(f"フィールド{i}", owner=owner, periods=[(12, 2)])
            trial_request = make_request(startup, title=f"実証{i}")
            make_need(startup, confidentiality=Confidentiality.MEMBERS, title=f"ニーズ{i}")
            run = record_run(secretariat, trial_request=trial_request, filters={},
                             results=[Result(f"site:{site.id}", "site", 50.0, Reasons())])
            create_introductions(secretariat, run, [run.suggestions[0].id], "ご紹介", send=True)
            start = datetime(2026, 6, 1, tzinfo=timezone.utc) + timedelta(days=i)
            db.session.add(Meeting(group=group, title=f"会合{i}", starts_at=start, ends_at=start + timedelta(hours=1)))
            db.session.add(GroupMembership(group=make_group(f"部会{i}"), user=viewer, status=MembershipStatus.ACTIVE))
        db.session.commit()

    return viewer, group, grow


LISTS = ["/organisations", "/trial-sites", "/trial-requests", "/needs", "/introductions", "/working-groups",
         "/working-groups/{group}/meetings"]


@pytest.mark.parametrize("path", LISTS)
def test_list_statements_do_not_grow_with_rows(api, token_for, world, path):
    viewer, group, grow = world
    secret = token_for(viewer, TokenScope.READ)
    url = path.format(group=group.id) + "?per_page=50"

    def cost() -> tuple[int, int]:
        db.session.expire_all()
        with counted() as statements:
            response = api.get(url, secret)
        assert response.status_code == 200
        return len(statements), len(response.json["items"])

    grow(3)
    small, small_rows = cost()
    grow(10)
    large, large_rows = cost()
    assert large_rows >= small_rows + 10
    assert large == small, (small, large)
