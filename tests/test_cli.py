"""Command-line commands."""
from __future__ import annotations

from sqlalchemy import func, select

from models import Organisation, Role, Sector, User, db


def test_create_admin(runner):
    result = runner.invoke(args=["create-admin", "--email", "Boss@Example.org", "--name", "長", "--password", "a long admin passphrase"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "boss@example.org"))
    assert user.role == Role.ADMIN


def test_create_admin_refuses_a_short_password(runner):
    result = runner.invoke(args=["create-admin", "--email", "boss@example.org", "--name", "長", "--password", "short"])
    assert result.exit_code != 0
    assert db.session.scalar(select(User)) is None


def test_seed_demo_loads_every_sector_and_role(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "admin@demo.example" in result.output
    sectors = set(db.session.scalars(select(Organisation.sector)).all())
    roles = set(db.session.scalars(select(User.role)).all())
    assert sectors == set(Sector) and roles == set(Role)


def test_seed_demo_refuses_a_database_with_data(runner, member):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "--force" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_seed_demo_if_empty_does_nothing_on_data(runner, member):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_seed_demo_force_loads_anyway(runner, member):
    result = runner.invoke(args=["seed-demo", "--force"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(User.id))) > 1
