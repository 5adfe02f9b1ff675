"""The navigation bar: entries with the roles that see them; each domain adds its own in `register(app)`."""
from __future__ import annotations

from dataclasses import dataclass, field

from models import Role

ANONYMOUS = "anonymous"
EVERYONE = "everyone"


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy translated string
    audience: tuple = (EVERYONE,)  # Roles, ANONYMOUS and/or EVERYONE
    order: int = 50
    section: str = "main"  # "main" or "manage" (secretariat menu)


@dataclass
class Navigation:
    items: list[NavItem] = field(default_factory=list)

    def add(self, endpoint: str, label, *audience, order: int = 50, section: str = "main") -> None:
        """`label` is a lazy string: `navigation.add("needs.index", _l("Needs"), Role.MEMBER)`."""
        self.items.append(NavItem(endpoint, label, tuple(audience) or (EVERYONE,), order, section))

    def for_user(self, user, section: str = "main") -> list[NavItem]:
        def visible(item: NavItem) -> bool:
            if EVERYONE in item.audience:
                return True
            if not user.is_authenticated:
                return ANONYMOUS in item.audience
            return user.role in item.audience

        return sorted((i for i in self.items if i.section == section and visible(i)), key=lambda i: i.order)


STAFF = (Role.ADMIN, Role.SECRETARIAT)
LOGGED_IN = (Role.ADMIN, Role.SECRETARIAT, Role.MEMBER, Role.APPLICANT)
