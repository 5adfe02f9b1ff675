"""Learning from the secretariat: labels from introductions and "not relevant" marks, the
`flask matcher learn` command on a fixture whose right weights are known, applying and resetting
the weights, and the "not relevant" buttons of the matcher page."""
from __future__ import annotations

import json
import re

import pytest

from app.introductions.learning import collect_labels, label_examples
from app.introductions.matcher_services import MatchFilters, match_trial_request
from matching import Weights
from models import (
    Introduction,
    IntroductionStatus,
    MatchDismissal,
    MatcherWeights,
    Role,
    TrialRequestStatus,
    db,
)
from tests.statements import statement_count

ISHIKARI = dict(municipality="石狩市", latitude=43.2, longitude=141.35)
NEMURO = dict(municipality="根室市", latitude=43.33, longitude=145.58)  # about 340 km east


@pytest.fixture
def sites(make_site):
    """Two sites near the requests that say little about them, two far away that say much: the
    text favours the far ones, the secretariat's decisions the near ones."""
    near = [make_site("石狩冬季試験道路", features_ja="冬の除雪試験ができる道路。", **ISHIKARI),
            make_site("石狩雪原試験地", features_ja="積雪の多い試験地。除雪ロボットの走行にも使える。", **ISHIKARI)]
    far = [make_site("根室吹雪ロボット試験場", features_ja="吹雪の中で除雪ロボットの自律走行を検証できる試験道路。除雪ロボットの実証歓迎。", **NEMURO),
           make_site("根室自律走行試験場", features_ja="除雪ロボットの自律走行を吹雪の中で検証したい方に。除雪ロボット専用の試験道路。", **NEMURO)]
    return near, far


def make_requests(make_request, applicant, n: int):
    return [make_request(applicant, title=f"除雪ロボットの実証 {i}", status=TrialRequestStatus.SCREENING, **ISHIKARI)
            for i in range(n)]


def introduce(trial_request, site, status: IntroductionStatus) -> Introduction:
    intro = Introduction(trial_request_id=trial_request.id, requester_organisation_id=trial_request.organisation_id,
                         site_id=site.id, status=status, message="")
    db.session.add(intro)
    return intro


@pytest.fixture
def decided(make_request, applicant, sites):
    """Six requests: the near sites agreed, the far ones declined (24 labels)."""
    near, far = sites
    for trial_request in make_requests(make_request, applicant, 6):
        for site in near:
            introduce(trial_request, site, IntroductionStatus.AGREED)
        for site in far:
            introduce(trial_request, site, IntroductionStatus.DECLINED)
    db.session.commit()
    return sites


def weights_table(output: str) -> dict[str, tuple[float, float, float]]:
    """The printed weights table: component -> (default, fitted, in force)."""
    rows = re.findall(r"^\s+(text|fuzzy|tags|geo|period|support|setting)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", output, re.M)
    return {name: (float(a), float(b), float(c)) for name, a, b, c in rows}


def figures(output: str, metric: str) -> list[tuple[float, float]]:
    """Every printed (defaults, fitted) pair of a metric, in order."""
    return [(float(a), float(b)) for a, b in re.findall(rf"^\s+{re.escape(metric)}\s+([\d.]+)\s+([\d.]+)$", output, re.M)]


def test_labels_come_from_decided_introductions_and_dismissals_only(app, make_request, applicant, sites, secretariat,
                                                                     make_challenge, government_member):
    near, far = sites
    agreed, declined, accepted, still_open = make_requests(make_request, applicant, 4)
    introduce(agreed, near[0], IntroductionStatus.AGREED)
    introduce(declined, far[0], IntroductionStatus.DECLINED)
    introduce(accepted, near[1], IntroductionStatus.ACCEPTED)
    introduce(still_open, near[0], IntroductionStatus.INTRODUCED)  # outcome unknown: left out
    challenge = make_challenge(government_member)
    db.session.add(Introduction(challenge_id=challenge.id, requester_organisation_id=challenge.organisation_id,
                                site_id=near[1].id, status=IntroductionStatus.AGREED))  # not a trial request
    db.session.add(MatchDismissal(trial_request_id=still_open.id, candidate_kind="site", candidate_id=far[1].id,
                                  user_id=secretariat.id))
    db.session.commit()
    labels = collect_labels()
    assert [(lb.trial_request_id, lb.candidate, lb.kind, lb.label) for lb in labels] == [
        (agreed.id, f"site:{near[0].id}", "agreed", 1),
        (declined.id, f"site:{far[0].id}", "declined", 0),
        (accepted.id, f"site:{near[1].id}", "accepted", 1),
        (still_open.id, f"site:{far[1].id}", "not relevant", 0),
    ]
    examples, left_out = label_examples(labels)
    assert left_out == 0 and [e.label for e in examples] == [1, 0, 1, 0]
    assert [e.weight for e in examples] == [1.0, 1.0, 0.5, 1.0]
    # The components are the matcher's own: the near site is close, the far one's text is closer.
    assert examples[0].components["geo"] > 0.9 > 0.1 > examples[1].components["geo"]
    assert examples[1].components["text"] > examples[0].components["text"]


def test_the_command_learns_the_known_weights_and_reports_them(runner, decided):
    result = runner.invoke(args=["matcher", "learn", "--min-labels", "10"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert re.search(r"agreed\s+12\b", out) and re.search(r"declined\s+12\b", out) and "6 requests" in out
    table = weights_table(out)
    default, fitted = Weights(), {k: v[1] for k, v in table.items()}
    assert table["geo"][0] == default.geo and table["text"][0] == default.text
    # Only distance predicts agreement here (the text points the other way): geo rises against text.
    assert fitted["geo"] > 2 * default.geo and fitted["text"] < default.text / 2 and fitted["geo"] > fitted["text"]
    assert (fitted["tags"], fitted["period"]) == (default.tags, default.period)  # absent here: the defaults
    [(auc_default, auc_fitted)] = figures(out, "AUC")[:1]
    [(pairs_default, pairs_fitted)] = figures(out, "pairwise accuracy")[:1]
    assert auc_fitted > auc_default and pairs_fitted == 1.0 > pairs_default
    assert "fitted on" in out and "Cross-validated" in out
    assert "Nothing stored" in out and db.session.scalars(db.select(MatcherWeights)).first() is None


def test_apply_stores_the_weights_and_the_ranking_uses_them_until_reset(runner, decided, make_request, applicant):
    near, far = decided
    [fresh] = make_requests(make_request, applicant, 1)

    def order() -> list[str]:
        return [r.id for r in match_trial_request(fresh, MatchFilters(kind="site"))]

    with_defaults = order()
    assert with_defaults[0] in {f"site:{s.id}" for s in far}  # the text wins with the library's weights
    result = runner.invoke(args=["matcher", "learn", "--min-labels", "10", "--apply", "--by", "事務局 テスト"])
    assert result.exit_code == 0 and "Applied" in result.output, result.output
    row = db.session.scalars(db.select(MatcherWeights)).one()
    assert row.label_count == 24 and row.applied_by == "事務局 テスト"
    assert row.weights["geo"] == weights_table(result.output)["geo"][1]
    assert set(order()[:2]) == {f"site:{s.id}" for s in near}  # learnt: the near sites first
    assert runner.invoke(args=["matcher", "learn", "--reset"]).exit_code == 0
    assert order() == with_defaults


def test_too_few_labels_keep_the_defaults_and_the_command_says_so(runner, make_request, applicant, sites):
    near, far = sites
    [trial_request] = make_requests(make_request, applicant, 1)
    introduce(trial_request, near[0], IntroductionStatus.AGREED)
    introduce(trial_request, far[0], IntroductionStatus.DECLINED)
    db.session.commit()
    result = runner.invoke(args=["matcher", "learn", "--apply"])
    assert result.exit_code == 0, result.output
    assert "Not fitted: 2 labels, fewer than 20" in result.output and "defaults stay" in result.output
    table = weights_table(result.output)
    assert all(d == f for d, f, _ in table.values())
    assert db.session.scalars(db.select(MatcherWeights)).first() is None


def test_the_report_compares_on_a_development_set(runner, decided, tmp_path):
    dev = tmp_path / "tiny-dev"
    dev.mkdir()
    candidates = [{"id": "s1", "kind": "site", "text": "除雪ロボットの試験道路", "lat": 43.2, "lon": 141.35},
                  {"id": "s2", "kind": "site", "text": "ロケットの射場", "lat": 42.5, "lon": 143.4}]
    (dev / "candidates.jsonl").write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in candidates), encoding="utf-8")
    (dev / "queries.jsonl").write_text(json.dumps({"id": "q1", "text": "除雪ロボットを試したい", "kinds": ["site"]},
                                                  ensure_ascii=False), encoding="utf-8")
    (dev / "qrels.tsv").write_text("q1\ts1\t2\n", encoding="utf-8")
    result = runner.invoke(args=["matcher", "learn", "--min-labels", "10", "--dev-set", str(dev)])
    assert result.exit_code == 0, result.output
    assert "Development set tiny-dev" in result.output
    assert figures(result.output, "recall@5") == [(1.0, 1.0)] and figures(result.output, "MRR") == [(1.0, 1.0)]


# -- "not relevant" on the matcher page ------------------------------------------------------------------------------

def test_the_secretariat_dismisses_a_candidate_and_undoes_it(client, login_as, secretariat, make_request, applicant,
                                                             sites, post_form):
    near, far = sites
    [trial_request] = make_requests(make_request, applicant, 1)
    login_as(secretariat)
    page = f"/introductions/match/request/{trial_request.id}?kind=site"
    html = client.get(page).get_data(as_text=True)
    assert f'value="site:{far[0].id}"' in html and "dismiss?kind=site" in html  # the button keeps the filters
    response = post_form(f"/introductions/match/request/{trial_request.id}/dismiss?kind=site",
                         {"candidate": f"site:{far[0].id}"}, form_page=page)
    assert response.status_code == 302 and "kind=site" in response.headers["Location"]
    dismissal = db.session.scalars(db.select(MatchDismissal)).one()
    assert (dismissal.candidate_kind, dismissal.candidate_id, dismissal.user_id) == ("site", far[0].id, secretariat.id)
    html = client.get(page).get_data(as_text=True)
    folded = html[html.index('data-testid="dismissed-matches"'):]
    assert "根室吹雪ロボット試験場" in folded and 'data-testid="undismiss"' in folded
    assert "根室吹雪ロボット試験場" not in html[:html.index('data-testid="dismissed-matches"')]
    assert "関係なし" in html and "元に戻す" in html
    response = post_form(f"/introductions/match/request/{trial_request.id}/undismiss",
                         {"candidate": f"site:{far[0].id}"}, form_page=page)
    assert response.status_code == 302 and db.session.scalars(db.select(MatchDismissal)).first() is None
    assert 'data-testid="dismissed-matches"' not in client.get(page).get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.APPLICANT])
def test_members_and_applicants_may_not_dismiss(client, login_as, make_request, applicant, sites, post_form, role):
    near, far = sites
    [trial_request] = make_requests(make_request, applicant, 1)
    login_as(applicant if role == Role.APPLICANT else role)  # the applicant is the request's own side
    for action in ("dismiss", "undismiss"):
        response = post_form(f"/introductions/match/request/{trial_request.id}/{action}",
                             {"candidate": f"site:{far[0].id}"}, form_page="/dashboard")
        assert response.status_code == 403
    assert db.session.scalars(db.select(MatchDismissal)).first() is None


def test_a_malformed_candidate_is_refused(client, login_as, secretariat, make_request, applicant, sites, post_form):
    [trial_request] = make_requests(make_request, applicant, 1)
    login_as(secretariat)
    response = post_form(f"/introductions/match/request/{trial_request.id}/dismiss", {"candidate": "need:1"},
                         form_page="/dashboard")
    assert response.status_code == 400 and db.session.scalars(db.select(MatchDismissal)).first() is None
    response = post_form(f"/introductions/match/request/{trial_request.id}/dismiss", {"candidate": "org:999999"},
                         form_page="/dashboard")
    assert response.status_code == 404 and db.session.scalars(db.select(MatchDismissal)).first() is None


def test_the_matcher_page_reads_the_dismissals_in_one_query(client, login_as, secretariat, make_request, applicant,
                                                            sites, make_site):
    near, far = sites
    [trial_request] = make_requests(make_request, applicant, 1)
    login_as(secretariat)
    page = f"/introductions/match/request/{trial_request.id}?kind=site"
    db.session.add(MatchDismissal(trial_request_id=trial_request.id, candidate_kind="site", candidate_id=far[0].id))
    db.session.commit()
    one = statement_count(client, page)
    for site in (far[1], near[0]):
        db.session.add(MatchDismissal(trial_request_id=trial_request.id, candidate_kind="site", candidate_id=site.id))
    db.session.commit()
    html = client.get(page).get_data(as_text=True)
    assert html.count('data-testid="undismiss"') == 3
    assert statement_count(client, page) == one


def test_a_second_mark_of_the_same_candidate_keeps_the_first(make_request, applicant, sites, secretariat, make_user):
    from app.introductions.dismissals import dismiss_candidate
    from models import AuditEntry

    near, far = sites
    [trial_request] = make_requests(make_request, applicant, 1)
    assert dismiss_candidate(secretariat, trial_request, "site", far[0].id) is True
    other = make_user(Role.SECRETARIAT)
    assert dismiss_candidate(other, trial_request, "site", far[0].id) is False  # no unique violation
    db.session.commit()
    [dismissal] = db.session.scalars(db.select(MatchDismissal)).all()
    assert dismissal.user_id == secretariat.id
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "matcher.dismissed")) == 1
