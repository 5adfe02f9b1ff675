"""The builders of the domain test folders, for the cross-cutting reliability tests."""
from tests.groups.conftest import add_member, make_group, make_meeting  # noqa: F401
from tests.needs.conftest import make_need  # noqa: F401
