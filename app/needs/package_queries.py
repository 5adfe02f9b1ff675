"""What the submitter sees of the packages their need is in: states and dates, never other
companies' confidential details."""
from __future__ import annotations

from dataclasses import dataclass

from models import ProposalPackage, RegulatoryNeed, db

from .labels import PACKAGE_STATUS_LABELS
from .permissions import visible_needs


@dataclass
class PackageProgress:
    package: ProposalPackage
    status: str
    steps: list[tuple[str, object]]  # (status label, when)
    other_needs: list[RegulatoryNeed]  # only those the viewer may see
    hidden_count: int


def package_progress(need: RegulatoryNeed, viewer) -> list[PackageProgress]:
    result = []
    for package in need.packages:
        others = [n for n in package.needs if n.id != need.id]
        ids = [n.id for n in others]
        visible = list(db.session.scalars(visible_needs(viewer).where(RegulatoryNeed.id.in_(ids)))) if ids else []
        steps = [(str(PACKAGE_STATUS_LABELS[e.to_status]), e.created_at) for e in package.events]
        result.append(PackageProgress(package, str(PACKAGE_STATUS_LABELS[package.status]), steps, visible,
                                      len(others) - len(visible)))
    return result
