"""Worklists a committed list leaves behind: match reviews, reported deaths and moves, screened children."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from canlian.exchange import services
from canlian.exchange.models import ChildScreening, MatchOutcome, MatchReview, StatusProposal
from canlian.exchange.tests.factories import LIFE_EVENTS_HEADER, SCREENING_HEADER, imported, write_csv
from canlian.registry.models import Certificate
from canlian.registry.tests.factories import make_certificate, make_id, make_person

Proposal = StatusProposal.State


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def zhang(officer, areas):
    return make_person(by=officer, area=areas["beijiang"], name="张三丰", sequence=11)


def _report(tmp_path, officer, areas, *rows, name="deaths.csv"):
    imported(write_csv(tmp_path / name, [LIFE_EVENTS_HEADER, *rows]), by=officer, source="life_events",
             area=areas["city"])


@pytest.fixture
def death(officer, areas, zhang, tmp_path):
    make_certificate(person=zhang, by=officer, on=date(2020, 5, 1))
    _report(tmp_path, officer, areas, [zhang.id_number, "张三丰", "死亡", "2025-03-01", "死亡证明 2025-017"])
    return StatusProposal.objects.get(person=zhang)


@pytest.fixture
def review(officer, areas, tmp_path):
    imported(write_csv(tmp_path / "r.csv", [LIFE_EVENTS_HEADER, [make_id(sequence=97), "无名", "死亡", "2025-03-01", ""]]),
             by=officer, source="life_events", area=areas["city"])
    return MatchReview.objects.get()


@pytest.fixture
def screening(officer, areas, tmp_path):
    imported(write_csv(tmp_path / "s.csv", [SCREENING_HEADER, [make_id(date(2021, 4, 1), 33), "小明", "2025-03-01",
                                                               "听力", "市医院", "北疆社区"]]),
             by=officer, source="child_screening", area=areas["city"])
    return ChildScreening.objects.get()


# --- reported deaths and moves (状态变更核实) --------------------------------------------------------


def test_confirmed_death_marks_the_person_dead_from_the_reported_date_and_cancels_the_certificate(
        officer, zhang, death):
    services.status_proposal_decide(proposal=death, by=officer, confirm=True, note="已电话联系家属核实")
    zhang.refresh_from_db()
    assert (zhang.life_status, zhang.life_status_since) == ("deceased", date(2025, 3, 1))
    assert "民政局" in zhang.life_status_reason and "已电话联系家属核实" in zhang.life_status_reason
    card = Certificate.objects.get(person=zhang)
    assert (card.status, card.status_since) == ("cancelled", date(2025, 3, 1))
    death.refresh_from_db()
    assert (death.state, death.decided_by, death.note) == (Proposal.CONFIRMED, officer, "已电话联系家属核实")
    assert death.decided_at is not None


def test_confirmed_move_marks_the_person_moved_out_and_keeps_the_certificate(officer, areas, zhang, tmp_path):
    make_certificate(person=zhang, by=officer)
    _report(tmp_path, officer, areas, [zhang.id_number, "张三丰", "迁出", "2025-04-01", "迁往呼和浩特市"])
    proposal = StatusProposal.objects.get()
    services.status_proposal_decide(proposal=proposal, by=officer, confirm=True, note="公安局户籍系统已核实")
    zhang.refresh_from_db()
    assert (zhang.life_status, zhang.life_status_since) == ("moved_out", date(2025, 4, 1))
    assert Certificate.objects.get(person=zhang).status == "valid"


@pytest.mark.parametrize("confirm", [True, False])
@pytest.mark.parametrize("note", ["", "   ", None])
def test_deciding_a_reported_death_requires_a_note(officer, zhang, death, confirm, note):
    with pytest.raises(ValidationError) as excinfo:
        services.status_proposal_decide(proposal=death, by=officer, confirm=confirm, note=note)
    assert "note" in excinfo.value.message_dict
    zhang.refresh_from_db()
    death.refresh_from_db()
    assert zhang.life_status == "active"
    assert death.state == Proposal.PENDING


def test_rejected_report_keeps_the_person_and_records_why(officer, zhang, death):
    services.status_proposal_decide(proposal=death, by=officer, confirm=False, note="入户核实本人健在，民政数据有误")
    zhang.refresh_from_db()
    assert zhang.life_status == "active"
    assert Certificate.objects.get(person=zhang).status == "valid"
    death.refresh_from_db()
    assert (death.state, death.decided_by, death.note) == (Proposal.REJECTED, officer, "入户核实本人健在，民政数据有误")


def test_report_once_decided_cannot_be_decided_again(officer, zhang, death):
    services.status_proposal_decide(proposal=death, by=officer, confirm=False, note="本人健在")
    with pytest.raises(ValidationError):
        services.status_proposal_decide(proposal=death, by=officer, confirm=True, note="再次核实")
    zhang.refresh_from_db()
    assert zhang.life_status == "active"


def test_stale_copy_of_a_decided_report_cannot_be_confirmed(officer, zhang, death):
    stale = StatusProposal.objects.get(pk=death.pk)
    services.status_proposal_decide(proposal=death, by=officer, confirm=False, note="本人健在")
    with pytest.raises(ValidationError):
        services.status_proposal_decide(proposal=stale, by=officer, confirm=True, note="已核实")
    assert StatusProposal.objects.get(pk=death.pk).state == Proposal.REJECTED


def test_second_report_of_a_death_already_confirmed_is_refused_and_stays_open(officer, areas, zhang, death, tmp_path):
    _report(tmp_path, officer, areas, [zhang.id_number, "张三丰", "死亡", "2025-03-02", "医院报告"], name="again.csv")
    second = StatusProposal.objects.get(since=date(2025, 3, 2))
    services.status_proposal_decide(proposal=death, by=officer, confirm=True, note="家属核实")
    with pytest.raises(ValidationError):
        services.status_proposal_decide(proposal=second, by=officer, confirm=True, note="家属核实")
    second.refresh_from_db()
    assert second.state == Proposal.PENDING
    zhang.refresh_from_db()
    assert zhang.life_status_since == date(2025, 3, 1)


def test_note_is_kept_with_its_spaces_collapsed(officer, death):
    services.status_proposal_decide(proposal=death, by=officer, confirm=False, note="  本人\n\n健在  ")
    assert StatusProposal.objects.get(pk=death.pk).note == "本人 健在"


# --- match reviews (比对核查) --------------------------------------------------------------------


def test_resolving_a_match_review_records_who_when_and_what_was_done(officer, review):
    assert review.outcome == MatchOutcome.NOT_IN_REGISTRY
    services.match_review_resolve(review=review, by=officer, note="已通知民政局更正身份证号")
    review.refresh_from_db()
    assert (review.resolved_by, review.note) == (officer, "已通知民政局更正身份证号")
    assert review.resolved_at is not None


@pytest.mark.parametrize("note", ["", " \t ", None])
def test_resolving_a_match_review_requires_a_note(officer, review, note):
    with pytest.raises(ValidationError) as excinfo:
        services.match_review_resolve(review=review, by=officer, note=note)
    assert "note" in excinfo.value.message_dict
    assert MatchReview.objects.get(pk=review.pk).resolved_at is None


def test_resolved_match_review_cannot_be_resolved_again(officer, review):
    services.match_review_resolve(review=review, by=officer, note="已核实")
    with pytest.raises(ValidationError):
        services.match_review_resolve(review=review, by=officer, note="再次处理")
    assert MatchReview.objects.get(pk=review.pk).note == "已核实"


def test_long_note_is_cut_to_what_is_kept(officer, review):
    services.match_review_resolve(review=review, by=officer, note="核" * 300)
    assert MatchReview.objects.get(pk=review.pk).note == "核" * 200


# --- screened children (残疾儿童筛查跟进) -----------------------------------------------------------


def test_closing_a_screening_follow_up_records_the_outcome(officer, screening):
    assert screening.follow_up == ChildScreening.FollowUp.OPEN
    services.child_screening_close(screening=screening, by=officer, note="已转介康复机构评估")
    screening.refresh_from_db()
    assert (screening.follow_up, screening.note, screening.closed_by) == (
        ChildScreening.FollowUp.CLOSED, "已转介康复机构评估", officer)


@pytest.mark.parametrize("note", ["", "   ", None])
def test_closing_a_screening_follow_up_requires_a_note(officer, screening, note):
    with pytest.raises(ValidationError) as excinfo:
        services.child_screening_close(screening=screening, by=officer, note=note)
    assert "note" in excinfo.value.message_dict
    assert ChildScreening.objects.get(pk=screening.pk).follow_up == ChildScreening.FollowUp.OPEN


def test_closed_screening_cannot_be_closed_again(officer, screening):
    services.child_screening_close(screening=screening, by=officer, note="家长暂不申请")
    with pytest.raises(ValidationError):
        services.child_screening_close(screening=screening, by=officer, note="再次结案")
    assert ChildScreening.objects.get(pk=screening.pk).note == "家长暂不申请"


def test_screening_of_a_registered_child_is_not_a_follow_up_to_close(officer, areas, tmp_path):
    make_person(by=officer, area=areas["beijiang"], name="小明", birth=date(2021, 4, 1), sequence=33)
    imported(write_csv(tmp_path / "s.csv", [SCREENING_HEADER, [make_id(date(2021, 4, 1), 33), "小明", "2025-03-01",
                                                               "听力", "", ""]]),
             by=officer, source="child_screening", area=areas["city"])
    registered = ChildScreening.objects.get()
    with pytest.raises(ValidationError):
        services.child_screening_close(screening=registered, by=officer, note="已在名册")
    assert ChildScreening.objects.get(pk=registered.pk).follow_up == ChildScreening.FollowUp.REGISTERED
