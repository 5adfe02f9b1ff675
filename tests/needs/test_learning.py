"""Labels for the need-pair weights from proposal packages: needs merged into one package are
relevant pairs, similar pairs both packaged but apart are not; `flask matcher learn` reports the fit."""
from __future__ import annotations

from sqlalchemy import delete

from app.needs import package_services
from app.needs.learning import learn_need_weights, pair_examples, pair_labels
from models import NeedPair, Role, db


def test_packages_give_merged_and_kept_apart_pairs(make_need, applicant, make_user, secretariat, runner):
    other = make_user(Role.MEMBER)
    drone = [make_need(applicant, title="ドローンの目視外飛行の許可手続を簡素化したい"),
             make_need(other, title="ドローン物流の飛行許可をエリア単位で", relief="包括的な飛行許可")]
    rocket = [make_need(applicant, title="ロケットの高圧ガス充填許可", law_name="高圧ガス保安法", business="ロケットの燃焼試験",
                        obstacle="試験毎の許可", relief="包括的な許可", tags="宇宙"),
              make_need(other, title="ロケット打上げの火薬類消費許可", law_name="火薬類取締法", business="ロケットの打上げ",
                        obstacle="消費の都度の許可", relief="ワンストップ許可", tags="宇宙")]
    lone = make_need(other, title="自動運転バスの公道実証", law_name="道路運送車両法", tags="モビリティ")
    package_services.save_package(secretariat, None, "ドローン", "ドローンの規制", drone)
    package_services.save_package(secretariat, None, "宇宙", "ロケットの規制", rocket)
    # The stored similar pairs: one across the packages (kept apart), one with a need never packaged (no decision).
    db.session.execute(delete(NeedPair))
    db.session.add_all([NeedPair(need_a_id=min(drone[0].id, rocket[0].id), need_b_id=max(drone[0].id, rocket[0].id), score=40.0),
                        NeedPair(need_a_id=min(drone[0].id, lone.id), need_b_id=max(drone[0].id, lone.id), score=40.0)])
    db.session.commit()
    labels = pair_labels()
    assert labels == sorted([(drone[0].id, drone[1].id, 1), (rocket[0].id, rocket[1].id, 1),
                             (min(drone[0].id, rocket[0].id), max(drone[0].id, rocket[0].id), 0)])
    examples, left_out = pair_examples(labels)
    assert left_out == 0 and len(examples) == 3
    by_label = {e.label: e for e in examples}
    # The merged drone needs name the same law (航空法): the law component says so; the pair kept apart differs.
    merged_drone = next(e for e in examples if e.group == f"need:{min(drone[0].id, drone[1].id)}" and e.label)
    assert merged_drone.components["law"] == 1.0 and by_label[0].components["law"] == 0.0
    report = learn_need_weights(min_labels=20)
    assert report.fit.used_defaults and (report.merged, report.kept_apart) == (2, 1)
    result = runner.invoke(args=["matcher", "learn"])
    assert result.exit_code == 0, result.output
    assert "Need pairs (proposal packages):" in result.output and "Not fitted: 3 labels, fewer than 20" in result.output
    assert "Reported only" in result.output
