"""Demo organisations of every sector, read from organisations.csv."""
from __future__ import annotations

from models import IndustryCategory, Organisation, OrganisationStatus, Sector

from .base import DemoContext, find_or_add, read_rows


def load_organisations(context: DemoContext) -> None:
    for row in read_rows("organisations.csv"):
        organisation = find_or_add(Organisation, {"name_ja": row["name_ja"]})
        organisation.name_en = row["name_en"]
        organisation.sector = Sector(row["sector"])
        organisation.category = IndustryCategory(row["category"]) if row["category"] else None
        organisation.status = OrganisationStatus(row["status"])
        organisation.municipality = row["municipality"]
        organisation.latitude = float(row["latitude"]) if row["latitude"] else None
        organisation.longitude = float(row["longitude"]) if row["longitude"] else None
        organisation.website = row["website"]
        organisation.description = row["description"]
        organisation.capabilities = row["capabilities"]
        context.organisations[row["key"]] = organisation
