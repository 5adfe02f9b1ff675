"""Stored analyses behind similar needs: retrieval in SQL with the viewer's scope never reaches what
the viewer may not see, follows every change of a need at once, follows a new synonym list or
analyser version, ranks as the library alone does, and never analyses more than the query.

Every test runs three times: with the viewer's whole scope ranked (small catalogues), with candidates
retrieved through the full-text index (large catalogues; forced here with ALL_BELOW = 0), and
retrieved by terms each held by more rows than the postings budget (the newest rows holding them,
unranked; forced with POSTINGS_BUDGET = 0)."""
from __future__ import annotations

import gc
import json
import re
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import event, select, update

from app.core import analyses, synonyms, term_counts
from app.needs import similarity_queries as similarity
from app.needs.services import withdraw_need
from matching import Analyzer, NeedIndex, default_analyzer
from models import (Confidentiality, MatchAnalysis, MatchState, MatchTermCount, NeedPair, NeedStatus, RegulatoryNeed, Role,
                    db)

DEV = Path("/work/shared/data/match-dev")
SECRET = "極秘の水素吸蔵合金タンク"


@pytest.fixture(autouse=True)
def _no_extra_synonyms():
    synonyms.synonyms_path().unlink(missing_ok=True)
    yield
    synonyms.synonyms_path().unlink(missing_ok=True)


@pytest.fixture(params=["whole scope", "retrieved", "beyond the budget"])
def path(request, monkeypatch):
    if request.param != "whole scope":
        monkeypatch.setattr(analyses, "ALL_BELOW", 0)
    if request.param == "beyond the budget":  # every term is held by more rows than the budget: newest first
        monkeypatch.setattr(analyses, "POSTINGS_BUDGET", 0)
    return request.param


def ids(found) -> list[int]:
    return [s.id for s in found]


@contextmanager
def counted_statements():
    statements: list[str] = []

    def capture(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)


def recounted() -> Counter:
    """The term counts recomputed from the stored rows (what match_term_counts must hold)."""
    counts: Counter = Counter()
    for analysis, corpora in db.session.execute(select(MatchAnalysis.analysis, MatchAnalysis.corpora)):
        for corpus in corpora.split():
            counts[(corpus, "")] += 1
            for term in analysis["t"]:
                if len(term) <= analyses.MAX_TERM_LENGTH:
                    counts[(corpus, term)] += 1
    return counts


def stored_counts() -> Counter:
    return Counter({(c, t): n for c, t, n in db.session.execute(
        select(MatchTermCount.corpus, MatchTermCount.term, MatchTermCount.documents)) if n and t != term_counts.STAMP})


# -- visibility ---------------------------------------------------------------------------------
@pytest.mark.parametrize("viewer_role", ["other member", "applicant", "public"])
def test_retrieval_never_returns_a_confidential_need(path, viewer_role, make_need, make_user, secretariat):
    owner = make_user(Role.MEMBER)
    hidden = make_need(owner, title=SECRET, public_summary=SECRET, confidentiality=Confidentiality.CONFIDENTIAL)
    make_need(owner, title="保育所の年齢制限", public_summary="保育", confidentiality=Confidentiality.PUBLIC,
              tags="", law_name="", business="", obstacle="", relief="")
    viewer = {"other member": lambda: make_user(Role.MEMBER), "applicant": lambda: make_user(Role.APPLICANT),
              "public": AnonymousUserMixin}[viewer_role]()
    assert hidden.id not in ids(similarity.similar_needs(viewer, SECRET))
    assert hidden.id in ids(similarity.similar_needs(secretariat, SECRET))
    assert hidden.id in ids(similarity.similar_needs(owner, SECRET))  # its own organisation


@pytest.mark.parametrize("viewer_role", ["other member", "applicant", "public"])
def test_retrieval_never_matches_on_hidden_details(path, viewer_role, make_need, make_user, secretariat):
    owner = make_user(Role.MEMBER)
    shared = make_need(owner, title="件名A", public_summary="概要のみ", obstacle=SECRET, relief=SECRET, tags="",
                       law_name="", law_article="", business="", confidentiality=Confidentiality.PUBLIC)
    make_need(owner, title="保育所の年齢制限", public_summary="保育", confidentiality=Confidentiality.PUBLIC,
              tags="", law_name="", business="", obstacle="", relief="")
    viewer = {"other member": lambda: make_user(Role.MEMBER), "applicant": lambda: make_user(Role.APPLICANT),
              "public": AnonymousUserMixin}[viewer_role]()
    assert similarity.similar_needs(viewer, SECRET) == []
    assert shared.id in ids(similarity.similar_needs(viewer, "件名A 概要のみ"))
    found = similarity.similar_needs(secretariat, SECRET)
    assert ids(found) == [shared.id]
    assert found[0].summary == "概要のみ"


def test_the_json_endpoint_hides_a_members_need_from_the_public(path, client, make_need, make_user):
    make_need(make_user(Role.MEMBER), title=SECRET, public_summary=SECRET, confidentiality=Confidentiality.MEMBERS)
    response = client.get("/needs/similar.json", query_string={"title": SECRET})
    assert response.status_code in (200, 302, 401)
    if response.status_code == 200:
        assert response.get_json()["needs"] == []


# -- following changes --------------------------------------------------------------------------
def test_create_edit_withdraw_confidentiality_and_delete_are_followed(path, make_need, make_user, secretariat):
    owner = make_user(Role.MEMBER)
    member = make_user(Role.MEMBER)
    make_need(owner, title="保育所の年齢制限", public_summary="保育", confidentiality=Confidentiality.PUBLIC,
              tags="", law_name="", business="", obstacle="", relief="")
    need = make_need(owner, title="洋上風力の作業船", public_summary="洋上風力の作業船の規制",
                     confidentiality=Confidentiality.MEMBERS, tags="", law_name="", business="", obstacle="", relief="")
    assert need.id in ids(similarity.similar_needs(member, "洋上風力の作業船"))

    need.title, need.public_summary = "雪氷冷熱の倉庫", "雪氷冷熱を使う倉庫の規制"
    db.session.commit()
    assert need.id not in ids(similarity.similar_needs(member, "洋上風力の作業船"))
    assert need.id in ids(similarity.similar_needs(member, "雪氷冷熱の倉庫"))

    need.confidentiality = Confidentiality.CONFIDENTIAL
    db.session.commit()
    assert need.id not in ids(similarity.similar_needs(member, "雪氷冷熱の倉庫"))
    assert need.id in ids(similarity.similar_needs(secretariat, "雪氷冷熱の倉庫"))

    withdraw_need(owner, need)
    db.session.commit()
    found = similarity.similar_needs(secretariat, "雪氷冷熱の倉庫")
    assert [(s.id, s.status) for s in found] == [(need.id, NeedStatus.WITHDRAWN.value)]

    need_id = need.id
    db.session.delete(need)
    db.session.commit()
    assert similarity.similar_needs(secretariat, "雪氷冷熱の倉庫") == []
    assert db.session.scalars(select(MatchAnalysis).where(MatchAnalysis.item_id == need_id,
                                                          MatchAnalysis.kind.in_(("need", "need_summary")))).all() == []
    assert stored_counts() == recounted()


def test_a_draft_is_stored_but_never_counted_nor_suggested(path, make_need, applicant, secretariat):
    make_need(applicant, status=NeedStatus.DRAFT, title="雪氷冷熱の倉庫")
    assert similarity.similar_needs(secretariat, "雪氷冷熱の倉庫") == []
    assert db.session.scalar(select(MatchTermCount.documents).where(MatchTermCount.corpus == "need",
                                                                   MatchTermCount.term == "")) in (None, 0)


def test_term_counts_follow_every_change(make_need, make_user):
    owner = make_user(Role.MEMBER)
    needs = [make_need(owner, title=f"ドローン物流 {i}", confidentiality=level)
             for i, level in enumerate(Confidentiality)]
    needs[0].confidentiality = Confidentiality.PUBLIC
    needs[1].obstacle = "全く別の支障"
    db.session.delete(needs[2])
    db.session.commit()
    assert stored_counts() == recounted()
    assert stored_counts()[("need", "")] == len(needs) - 1


def test_each_process_keeps_the_counts_it_read_until_the_corpus_changes(make_need, make_user):
    owner = make_user(Role.MEMBER)
    make_need(owner, title="ドローン物流の実証", confidentiality=Confidentiality.MEMBERS)
    db.session.commit()
    drone = analyses.query_terms("ドローン")[0]
    assert analyses.term_counts("need", [drone]) == {"": 1, drone: 1}
    stamp = db.session.scalar(select(MatchTermCount.documents).where(
        MatchTermCount.corpus == "need", MatchTermCount.term == term_counts.STAMP))
    # A count changed without a new stamp is not read again: the process answers from what it kept.
    db.session.execute(update(MatchTermCount).where(MatchTermCount.corpus == "need", MatchTermCount.term == drone)
                       .values(documents=7))
    db.session.commit()
    with counted_statements() as statements:
        assert analyses.term_counts("need", [drone]) == {"": 1, drone: 1}
    assert len([s for s in statements if "match_term_counts" in s]) == 1
    # A saved need (through this process or any other: the stamp is in the database) gives a new stamp.
    make_need(owner, title="ドローンの目視外飛行", confidentiality=Confidentiality.PUBLIC)
    db.session.commit()
    assert db.session.scalar(select(MatchTermCount.documents).where(
        MatchTermCount.corpus == "need", MatchTermCount.term == term_counts.STAMP)) != stamp
    assert analyses.term_counts("need", [drone]) == {"": 2, drone: 8}
    # A term no row holds is left out, and the stamp is never a term.
    assert analyses.term_counts("need", [drone, "存在しない語"]) == {"": 2, drone: 8}


def test_the_counts_a_process_keeps_are_bounded(make_need, make_user, monkeypatch):
    monkeypatch.setattr(term_counts, "KEPT", 12)
    make_need(make_user(Role.MEMBER), title="ドローン物流の実証 水素", confidentiality=Confidentiality.MEMBERS)
    db.session.commit()
    first, second = analyses.query_terms("ドローン 物流"), analyses.query_terms("水素 実証")
    assert len(set(first) | {""}) <= 12 < len(set(first) | set(second) | {""})
    analyses.term_counts("need", first)
    assert set(term_counts._kept["need"][1]) == set(first) | {""}
    counts = analyses.term_counts("need", second)
    assert set(term_counts._kept["need"][1]) == set(second) | {""}  # past the bound: the last read's terms only
    assert counts == analyses.term_counts("need", second) and counts[""] == 1 and counts["水素"] == 1


# -- re-analysis --------------------------------------------------------------------------------
def test_a_new_synonym_list_leads_to_re_analysis(path, client, make_need, applicant, login_as, post_form):
    need = make_need(applicant, title="ポポロンの実証", public_summary="", business="", obstacle="",
                     relief="", tags="", law_name="", law_article="")
    make_need(applicant, title="保育所の年齢制限", tags="", law_name="", business="", obstacle="", relief="",
              public_summary="")
    analyses.reanalyse()
    before = db.session.scalar(select(MatchAnalysis.version).where(MatchAnalysis.kind == "need",
                                                                   MatchAnalysis.item_id == need.id))
    staff = login_as(Role.SECRETARIAT)
    assert need.id not in ids(similarity.similar_needs(staff, "ピピロン"))
    response = post_form("/introductions/synonyms", {"text": "ピピロン = ポポロン"})
    assert response.status_code == 302
    db.session.expire_all()
    after = db.session.scalar(select(MatchAnalysis.version).where(MatchAnalysis.kind == "need",
                                                                  MatchAnalysis.item_id == need.id))
    assert after != before and after == analyses.analyzer().version
    assert db.session.get(MatchState, analyses.VERSION_KEY).value == after
    assert need.id in ids(similarity.similar_needs(staff, "ピピロン"))
    assert stored_counts() == recounted()


def test_another_analyser_version_leads_to_re_analysis(make_need, applicant, monkeypatch):
    need = make_need(applicant)
    analyses.reanalyse()
    assert analyses.is_current()
    monkeypatch.setattr(Analyzer, "version", property(lambda self: "next-version"))
    assert not analyses.is_current()
    assert analyses.ensure_current() == 3  # the need's full text, its summary and its organisation
    versions = db.session.scalars(select(MatchAnalysis.version).where(MatchAnalysis.item_id == need.id,
                                                                      MatchAnalysis.kind.like("need%"))).all()
    assert versions == ["next-version", "next-version"]
    assert analyses.is_current() and analyses.ensure_current() == 0


def test_an_unchanged_text_is_not_analysed_again(make_need, applicant, monkeypatch):
    need = make_need(applicant)

    def refuse(*args, **kwargs):
        raise AssertionError("analysed again")

    monkeypatch.setattr(analyses.analyzer(), "analyze_candidate", refuse)
    need.confidentiality = Confidentiality.PUBLIC
    need.urgency = need.urgency
    db.session.commit()
    assert stored_counts() == recounted()


def test_reanalyse_command_fills_rows_stored_without_analyses(runner, make_need, applicant):
    need = make_need(applicant)
    db.session.execute(MatchAnalysis.__table__.delete())
    db.session.execute(MatchTermCount.__table__.delete())
    db.session.commit()
    result = runner.invoke(args=["reanalyse"])
    assert result.exit_code == 0, result.output
    kinds = set(db.session.scalars(select(MatchAnalysis.kind).where(MatchAnalysis.item_id == need.id)))
    assert {"need", "need_summary"} <= kinds
    assert stored_counts() == recounted()


# -- a request analyses its query only ----------------------------------------------------------
def test_a_suggestion_request_analyses_only_its_query(path, client, make_need, make_user, login_as, monkeypatch):
    owner = make_user(Role.MEMBER)
    for i in range(3):
        make_need(owner, title=f"ドローンの目視外飛行 {i}", confidentiality=Confidentiality.PUBLIC)
    login_as(Role.APPLICANT)

    def refuse(*args, **kwargs):
        raise AssertionError("a stored text was analysed during the request")

    monkeypatch.setattr(analyses.analyzer(), "analyze_candidate", refuse)
    monkeypatch.setattr(analyses.analyzer(), "analyze_tag", refuse)
    data = client.get("/needs/similar.json", query_string={"title": "UAVで目視外飛行", "law": "航空法"}).get_json()
    assert len(data["needs"]) == 3


# -- same rankings as the library alone ---------------------------------------------------------
def test_dev_set_suggestions_equal_the_library_alone(path, make_user, secretariat):
    owner = make_user(Role.MEMBER)
    rows = [json.loads(line) for line in (DEV / "needs.jsonl").read_text(encoding="utf-8").splitlines()]
    needs = []
    for row in rows:
        need = RegulatoryNeed(title=row["name"], business=row["text"], tags=", ".join(row["tags"]),
                              status=NeedStatus.RECEIVED, confidentiality=Confidentiality.CONFIDENTIAL,
                              submitter=owner, organisation_id=owner.organisation_id, public_summary="", law_name="")
        db.session.add(need)
        needs.append(need)
    db.session.commit()
    alone = NeedIndex.build([similarity._candidate(n, True) for n in needs], analyzer=default_analyzer())
    compared = 0
    for need in needs:
        expected = [(int(r.id), r.score) for r in alone.similar_to(need.title, limit=5)
                    if r.score >= similarity.MIN_SCORE and r.reasons.components.get("text")]
        got = [(s.id, s.score) for s in similarity.similar_needs(secretariat, need.title)]
        assert got == expected, need.title
        compared += bool(expected)
    assert compared >= 10


# -- cost ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["similar.json", "curation", "packages"])
def test_statements_do_not_grow_with_the_needs(path, page, client, make_need, make_user, login_as):
    owner = make_user(Role.MEMBER)
    staff = login_as(Role.SECRETARIAT)
    first = make_need(owner, confidentiality=Confidentiality.PUBLIC)
    url = {"similar.json": "/needs/similar.json?title=ドローンの目視外飛行&law=航空法",
           "curation": f"/needs/manage/{first.id}", "packages": "/needs/manage/packages/"}[page]
    counts = []
    for total in (5, 50):
        while db.session.scalar(select(db.func.count(RegulatoryNeed.id))) < total:
            make_need(owner, confidentiality=Confidentiality.PUBLIC)
        assert client.get(url).status_code == 200  # warm
        with counted_statements() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert staff


# -- stored pairs for proposal packages ---------------------------------------------------------
def test_similar_pairs_are_stored_and_follow_the_need_that_changed(path, client, make_need, applicant, login_as):
    a = make_need(applicant, title="ロケット燃焼試験の高圧ガス充填許可", law_name="高圧ガス保安法", tags="ロケット")
    b = make_need(applicant, title="ロケット試験の高圧ガス充填の特例許可", law_name="高圧ガス保安法", tags="ロケット")
    make_need(applicant, title="外国籍船による洋上風力の作業", law_name="船舶法", tags="洋上風力",
              business="", obstacle="", relief="", public_summary="")
    analyses.run_pending()
    pairs = db.session.execute(select(NeedPair.need_a_id, NeedPair.need_b_id)).all()
    assert pairs == [(a.id, b.id)]
    login_as(Role.SECRETARIAT)
    html = client.get("/needs/manage/packages/").get_data(as_text=True)
    assert a.title in html and b.title in html and "外国籍船" not in html.split("suggested-group", 1)[-1]

    b.title, b.law_name, b.tags = "保育所の年齢制限", "児童福祉法", "保育"
    b.business = b.obstacle = b.relief = b.public_summary = ""
    db.session.commit()
    analyses.run_pending()
    assert db.session.execute(select(NeedPair.need_a_id, NeedPair.need_b_id)).all() == []


def test_a_closed_need_leaves_the_pairs(make_need, applicant, secretariat):
    a = make_need(applicant, title="ロケット燃焼試験の高圧ガス充填許可", law_name="高圧ガス保安法", tags="ロケット")
    make_need(applicant, title="ロケット試験の高圧ガス充填の特例許可", law_name="高圧ガス保安法", tags="ロケット")
    analyses.run_pending()
    assert db.session.scalar(select(db.func.count()).select_from(NeedPair)) == 1
    withdraw_need(applicant, a)
    db.session.commit()
    analyses.run_pending()
    assert db.session.scalar(select(db.func.count()).select_from(NeedPair)) == 0


def test_two_needs_paired_at_the_same_moment_store_their_common_pair_once(app, make_need, applicant):
    """Two similar needs submitted at once (two workers) both store the pair (a, b) after their
    commits; the second waits for the first and must not fail on the pair (it did on PostgreSQL:
    UniqueViolation, and the pairs of the second need were lost)."""
    from sqlalchemy import delete, insert

    from ..concurrency import while_holding

    a = make_need(applicant, title="ロケット燃焼試験の高圧ガス充填許可", law_name="高圧ガス保安法", tags="ロケット")
    b = make_need(applicant, title="ロケット試験の高圧ガス充填の特例許可", law_name="高圧ガス保安法", tags="ロケット")
    analyses.run_pending()
    db.session.execute(delete(NeedPair))
    db.session.commit()
    a_id, b_id = a.id, b.id
    # This worker is storing the pair (a, b): its write transaction holds the row, not yet committed
    # (update_pairs itself commits its short write transaction at once, so the moment is made by hand).
    db.session.execute(insert(NeedPair).values(need_a_id=a_id, need_b_id=b_id, score=50.0))
    db.session.flush()
    assert while_holding(app, lambda: similarity.update_pairs({b_id})) == []
    assert db.session.execute(select(NeedPair.need_a_id, NeedPair.need_b_id)).all() == [(a_id, b_id)]


def test_retrieval_keeps_three_terms_the_corpus_holds_besides_the_ones_it_does_not(app):
    """Found at 100,000 needs: a query whose rarest terms were all missing from the corpus retrieved
    by those alone (they counted as the "at least three"), so the secretariat got no similar need."""
    from models import MatchTermCount

    db.session.add_all([MatchTermCount(corpus="need", term=t, documents=n)
                        for t, n in (("", 100), ("common", 60), ("mid", 50), ("rare", 10), ("everywhere", 90))])
    db.session.flush()
    chosen = analyses.rare_terms("need", ["zz1", "zz2", "zz3", "rare", "mid", "common"], budget=5)
    assert {"zz1", "zz2", "zz3"} <= set(chosen)  # uncounted terms cost nothing: kept
    assert {"rare", "mid", "common"} <= set(chosen)  # and three the corpus holds, beyond the budget
    assert analyses.rare_terms("need", ["everywhere", "rare", "mid", "common"], budget=55) == ["rare", "mid", "common"]
    # Searching within the corpus, a term it does not count can find nothing: left out.
    assert analyses.rare_terms("need", ["zz1", "rare", "mid", "common"], budget=5, counted_only=True) == [
        "rare", "mid", "common"]


def test_the_search_tokens_name_the_corpora_that_count_the_row(make_need, applicant):
    """Retrieval within a corpus relies on them: they follow a change of confidentiality even when
    the text, and so the analysis, stays the same."""
    known = {analyses.corpus_token(c): c for c in ("need", "need:shared", "need:public", "partner")}

    def corpora_in_search() -> dict[int, set[str]]:
        rows = db.session.execute(select(MatchAnalysis.id, MatchAnalysis.search, MatchAnalysis.corpora)).all()
        for row_id, search, corpora in rows:
            tokens = set(re.findall(r"t[0-9a-f]{12}", str(search)))
            assert {known[t] for t in tokens if t in known} == set(corpora.split()), (row_id, corpora)
        return {row_id: set(corpora.split()) for row_id, _, corpora in rows}

    need = make_need(applicant, confidentiality=Confidentiality.CONFIDENTIAL)
    seen = [corpora_in_search()]
    for level in (Confidentiality.MEMBERS, Confidentiality.PUBLIC, Confidentiality.CONFIDENTIAL):
        need.confidentiality = level
        db.session.commit()
        seen.append(corpora_in_search())
    assert {"need:shared", "need:public"} in [c for state in seen for c in state.values()]


def test_terms_beyond_the_budget_add_their_newest_rows_to_what_the_rare_terms_found(monkeypatch, make_need,
                                                                                     make_user, secretariat):
    """At 100,000 needs a law every eighth need cites is held by more rows than the postings budget:
    the rows holding the query's rarer terms are searched with ranking, and the newest rows holding
    only the frequent terms fill the rest of the pool, never beyond the viewer's scope."""
    monkeypatch.setattr(analyses, "ALL_BELOW", 0)
    monkeypatch.setattr(analyses, "POOL", 3)
    monkeypatch.setattr(analyses, "POSTINGS_BUDGET", 1)
    owner, member = make_user(Role.MEMBER), make_user(Role.MEMBER)
    plain = dict(business="", obstacle="", relief="", law_name="", law_article="", evidence="", tags="",
                 confidentiality=Confidentiality.MEMBERS)
    rare = make_need(owner, title="Quokka hydrogen station", public_summary="Quokka hydrogen station", **plain)
    common = [make_need(owner, title=f"Hydrogen station {n}", public_summary=f"Hydrogen station {n}", **plain)
              for n in range(4)]
    secret = make_need(owner, title="Hydrogen station", **{**plain, "confidentiality": Confidentiality.CONFIDENTIAL})

    def pool(viewer) -> set[int]:
        rows, _ = similarity.retrieve_needs(viewer, "quokka hydrogen station", [])
        return {need.id for need, _, _ in rows}

    assert pool(secretariat) == {rare.id, secret.id, common[-1].id}
    assert pool(member) == {rare.id, common[-1].id, common[-2].id}  # the confidential need stays out of it
    monkeypatch.setattr(analyses, "POSTINGS_BUDGET", 1_000)  # every term ranked: the rows holding most of them
    assert rare.id in pool(member) and len(pool(member)) == 3


def test_warm_up_loads_the_analyser_and_sets_what_it_loaded_aside_from_the_garbage_collector(app):
    """What gunicorn's master loads before it forks (the analyser's dictionary and lexicon) is frozen:
    full collections in the workers no longer walk it (130 ms pauses), nor write to its pages."""
    gc.unfreeze()
    try:
        analyses.warm_up(app)
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the analyser alone holds hundreds of thousands of objects
        assert len(gc.get_objects()) < frozen / 10  # a collection now walks only what came after
    finally:
        gc.unfreeze()


def test_two_servers_stamping_the_version_at_the_same_moment_both_go_on(app, make_need, applicant):
    """Two servers started together on a new database both stamp the analyser's version after
    re-analysing; the second waits for the first and must not fail (it did on PostgreSQL:
    UniqueViolation in gunicorn's master, and that server never started)."""
    from sqlalchemy import delete

    from app.core.database import begin_write

    from ..concurrency import while_holding

    make_need(applicant)
    analyses.reanalyse()
    db.session.execute(delete(MatchState))
    db.session.commit()
    assert not analyses.is_current()
    # This server is stamping: its row is written, not yet committed.
    db.session.add(MatchState(key=analyses.VERSION_KEY, value=analyses.analyzer().version))
    db.session.flush()

    def start_the_other_server():
        begin_write()  # as at a server's start, outside any request: its transactions write
        analyses.reanalyse()

    assert while_holding(app, start_the_other_server) == []
    db.session.rollback()
    assert analyses.is_current()
