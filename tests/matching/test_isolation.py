"""The library stays free of the web framework and the ORM."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # starts a Python process

ROOT = Path(__file__).resolve().parents[2]


def test_importing_matching_loads_no_flask_or_sqlalchemy() -> None:
    code = (
        "import sys, matching, matching.needs, matching.cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'flask_sqlalchemy', 'app'))\n"
        "print(','.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          check=True, timeout=60)
    assert proc.stdout.strip() == ""
