"""Schemathesis against the running API (a loopback server with the demo data), once per role: no 500,
no answer outside the documented statuses, content types, headers and schemas.

Marked `fuzz` (not in the quick suite): `make fuzz-api`. Bounded: each role's run stops after FUZZ_SECONDS.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from app import create_app
from app.api.token_services import create_token
from app.core.config import TestConfig
from app.demo import load_demo
from models import TokenScope, User, db

pytestmark = pytest.mark.fuzz

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "test-artifacts" / "schemathesis"
FUZZ_SECONDS = int(os.environ.get("FUZZ_SECONDS", "25"))
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,"
          "response_schema_conformance")
ROLES = {"anonymous": None, "secretariat": "secretariat@demo.example", "member": "member@demo.example",
         "applicant": "applicant@demo.example"}


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    instance = tmp_path_factory.mktemp("fuzz-instance")
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{instance / 'fuzz.sqlite3'}"
    config.API_RATE_LIMIT = 1_000_000  # the limit has its own test; here it would only hide endpoints behind 429
    application = create_app(config, instance_path=str(instance))
    tokens: dict[str, str | None] = {}
    with application.app_context():
        db.create_all()
        load_demo()
        for role, email in ROLES.items():
            user = db.session.scalar(select(User).where(User.email == email)) if email else None
            tokens[role] = create_token(user, f"fuzz {role}", TokenScope.WRITE)[1] if user else None
        db.session.commit()
    server = make_server("127.0.0.1", 0, application, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    application.config["BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url, tokens
    server.shutdown()
    with application.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("role", list(ROLES))
def test_schemathesis_finds_no_server_error_or_schema_violation(fuzz_server, role):
    base_url, tokens = fuzz_server
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "run", f"{base_url}/api/v1/openapi.json",
        "--checks", CHECKS, "--phases", "examples,coverage,fuzzing", "--max-time", str(FUZZ_SECONDS),
        "--max-examples", "30", "--seed", "17", "--workers", "1", "--request-timeout", "30",
        "--suppress-health-check", "all", "--report", "junit", "--report-dir", str(REPORTS / role),
    ]
    if tokens[role]:
        command += ["-H", f"Authorization: Bearer {tokens[role]}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=FUZZ_SECONDS + 120, cwd=ROOT,
                            env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stdout[-15000:] + result.stderr[-3000:]
