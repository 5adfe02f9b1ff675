"""Demo KPI data: targets for this fiscal year, a hand-entered figure, the 1:1:2 evaluation and a public page."""
from __future__ import annotations

from app.core.fiscal import current_fiscal_year
from app.kpis import services

from .base import DemoContext

TARGETS = {"introductions_made": 3, "needs_received": 8, "members_total": 25, "meetings_held": 6,
           "median_days_to_proposal": 60}
PUBLIC = ["introductions_made", "needs_received", "members_total", "meetings_held"]


def load_kpis(context: DemoContext) -> None:
    secretariat = context.users["secretariat@demo.example"]
    year = current_fiscal_year()
    for key, value in TARGETS.items():
        services.set_target(secretariat, key, year, value)
    services.enter_manual_value(secretariat, "external_funding", year, 12_000_000,
                                "NEDO 実証事業（水素）の採択額。事務局が採択通知から転記。")
    services.score_evaluation(secretariat, year - 1, (70, 60, 80), ("目標の多くを達成", "特区メニューの活用が進んだ", "規制改革提案が採択"))
    services.publish_indicators(secretariat, PUBLIC)
