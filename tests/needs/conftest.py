"""Builders for the needs tests: a need of any status and confidentiality, for any organisation."""
from __future__ import annotations

import pytest

from models import Confidentiality, NeedStatus, RegulatoryNeed, SpecialMeasure, db


@pytest.fixture
def make_need():
    def make(submitter, *, status=NeedStatus.RECEIVED, confidentiality=Confidentiality.CONFIDENTIAL,
             title="ドローンの目視外飛行の許可手続を簡素化したい", **fields) -> RegulatoryNeed:
        values = dict(business="除雪期の山間部へドローンで物資を届けたい", obstacle="目視外飛行の許可に時間がかかる",
                      relief="エリア単位での包括申請", law_name="航空法", law_article="第132条の86",
                      evidence="年間30回の飛行を予定", public_summary="ドローン物流の手続簡素化", tags="ドローン, 物流")
        values.update(fields)
        need = RegulatoryNeed(title=title, status=status, confidentiality=confidentiality, submitter=submitter,
                              organisation_id=submitter.organisation_id, **values)
        db.session.add(need)
        db.session.commit()
        return need

    return make


@pytest.fixture
def make_measure():
    def make(code="M070", name_ja="ドローン目視外飛行のエリア包括申請", **fields) -> SpecialMeasure:
        measure = SpecialMeasure(code=code, name_ja=name_ja, law=fields.pop("law", "航空法"), **fields)
        db.session.add(measure)
        db.session.commit()
        return measure

    return make


@pytest.fixture(autouse=True)
def _request_context(app):
    """Services translate their messages, which needs a request context outside views."""
    with app.test_request_context():
        yield
