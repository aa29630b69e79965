"""The plan's two indicators of the federation's organisation (二连浩特“十四五”规划): 社区（嘎查）专职委员覆盖率 — the
share of communities and gachas with an officer in post on the day — and 残联干部中残疾人比例 — the share of the
cadres in post whose own file holds a valid card on the day. Each area's figure is its own and everything below it:
the city's posts are all the communities' and gachas', the sumu's are its gachas'; a cadre of the sumu's federation
counts for the sumu and the city. A past year is read on its last day."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from canlian.indicators import selectors as indicator_selectors
from canlian.indicators.measures import MEASURES
from canlian.indicators.models import Snapshot
from canlian.indicators.services import indicators_compute, measure_by_area, rolled_up
from canlian.organisation import selectors
from canlian.organisation.models import OfficerPost, StaffMember
from canlian.organisation.tests.conftest import assign, cadre, end

TODAY = timezone.localdate()


def _snapshots(code: str, year: int) -> dict[str, tuple[int, int | None]]:
    return {s.area.name: (s.numerator, s.denominator)
            for s in Snapshot.objects.filter(indicator__code=code, year=year).select_related("area")}


def _value(area, code: str, year: int) -> Decimal | None:
    return next(f.value for f in indicator_selectors.figures(area=area, year=year) if f.indicator.code == code)


def test_both_indicators_have_their_measures_and_are_rates_of_rows_that_are_not_persons(db):
    for code in ("community_officers", "disabled_cadres"):
        measure = MEASURES[code]
        assert measure.is_rate and not measure.persons and measure.link
    assert MEASURES["community_officers"].link == "organisation:posts"
    assert MEASURES["disabled_cadres"].link == "organisation:cadres"


# --- 专职委员覆盖率 -----------------------------------------------------------------------------------------


def test_the_citys_coverage_is_all_its_communities_and_gachas_and_the_sumus_its_gachas(areas, officer):
    assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1))
    assign(areas["gacha"], officer, "巴图", date(2022, 1, 1))
    end(assign(areas["dongcheng"], officer, "张丽", date(2021, 1, 1)), officer, TODAY - timedelta(days=1))
    indicators_compute(year=TODAY.year, by=officer)
    assert _snapshots("community_officers", TODAY.year) == {
        "二连浩特市": (2, 3), "北疆社区": (1, 1), "东城社区": (0, 1), "格日勒敖都苏木": (1, 1), "第一嘎查": (1, 1)}
    assert _value(areas["city"], "community_officers", TODAY.year) == Decimal("66.67")


def test_with_no_officer_anywhere_coverage_is_zero_not_no_data(areas, officer):
    indicators_compute(year=TODAY.year, by=officer)
    assert _snapshots("community_officers", TODAY.year)["二连浩特市"] == (0, 3)
    assert _value(areas["city"], "community_officers", TODAY.year) == Decimal("0.00")


def test_a_past_years_coverage_reads_the_terms_running_on_its_last_day(areas, officer):
    assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1))
    assign(areas["beijiang"], officer, "王海燕", date(2024, 3, 1))  # a handover: no gap
    assign(areas["dongcheng"], officer, "张丽", date(2024, 1, 1))  # the first officer: from 2024
    end(assign(areas["gacha"], officer, "巴图", date(2020, 1, 1)), officer, date(2023, 12, 31))  # to 2023's end
    indicators_compute(year=2023, by=officer)
    indicators_compute(year=2024, by=officer)
    assert _snapshots("community_officers", 2023) == {
        "二连浩特市": (2, 3), "北疆社区": (1, 1), "东城社区": (0, 1), "格日勒敖都苏木": (1, 1), "第一嘎查": (1, 1)}
    assert _snapshots("community_officers", 2024) == {
        "二连浩特市": (2, 3), "北疆社区": (1, 1), "东城社区": (1, 1), "格日勒敖都苏木": (0, 1), "第一嘎查": (0, 1)}
    assert Snapshot.objects.filter(indicator__code="community_officers", year=2023).first().as_of == date(2023, 12, 31)


# --- 残联干部中残疾人比例 ------------------------------------------------------------------------------------


def test_a_cadre_of_the_sumus_federation_counts_for_the_sumu_and_the_city(areas, officer, carded, expired):
    cadre("孟根", areas["city"], person=carded)
    cadre("马超", areas["city"])
    cadre("高娃", areas["city"], person=expired)  # the card ran out in 2020
    cadre("吴刚", areas["city"], person=carded, ended_on=date(2023, 12, 31))  # left
    cadre("斯琴", areas["sumu"], person=carded)
    indicators_compute(year=TODAY.year, by=officer)
    assert _snapshots("disabled_cadres", TODAY.year) == {"二连浩特市": (2, 4), "格日勒敖都苏木": (1, 1)}
    assert _value(areas["city"], "disabled_cadres", TODAY.year) == Decimal("50.00")
    assert _value(areas["gacha"], "disabled_cadres", TODAY.year) is None  # no federation there: no share


def test_a_past_years_disabled_cadres_are_those_in_post_with_a_card_valid_on_its_last_day(areas, officer, carded,
                                                                                           cancelled):
    cadre("斯琴", areas["city"], person=cancelled, started_on=date(2019, 1, 1))  # card cancelled 2024-06-01
    cadre("吴刚", areas["city"], person=carded, ended_on=date(2024, 3, 31))  # left in 2024
    cadre("图雅", areas["city"], person=carded, started_on=date(2024, 2, 1))  # came in 2024
    cadre("马超", areas["sumu"])
    indicators_compute(year=2023, by=officer)
    indicators_compute(year=2024, by=officer)
    assert _snapshots("disabled_cadres", 2023) == {"二连浩特市": (2, 3), "格日勒敖都苏木": (0, 1)}
    assert _snapshots("disabled_cadres", 2024) == {"二连浩特市": (1, 3), "格日勒敖都苏木": (0, 1)}


# --- the measure against the policy, on any records ------------------------------------------------------

DAY = date(2024, 6, 1)  # the `cancelled` card's cancellation: the window sees it valid and not
VILLAGES = ["beijiang", "dongcheng", "gacha"]
_offset = st.integers(min_value=-5, max_value=5)
_length = st.none() | st.integers(min_value=0, max_value=5)


def test_the_set_based_measures_agree_with_counting_by_hand(areas, officer, carded, expired, cancelled):
    persons = {"carded": carded, "expired": expired, "cancelled": cancelled, None: None}

    @settings(max_examples=40, deadline=None)
    @given(terms=st.fixed_dictionaries({v: st.lists(st.tuples(_offset, _length), max_size=3) for v in VILLAGES}),
           staff=st.lists(st.tuples(st.sampled_from(["city", "sumu"]), st.sampled_from(list(persons)), _offset,
                                    _length), max_size=6),
           on_offset=st.integers(min_value=-4, max_value=4))
    def check(terms, staff, on_offset):
        OfficerPost.objects.all().delete()
        StaffMember.objects.all().delete()
        held_terms = {}
        for village, spans in terms.items():
            held_terms[village] = []
            for index, (start, length) in enumerate(spans):
                started = DAY + timedelta(days=start)
                # one open term a post (the constraint): only the last may still run
                ended = None if length is None and index == len(spans) - 1 else started + timedelta(days=length or 0)
                OfficerPost.objects.create(area=areas[village], holder_name="乌日娜", started_on=started,
                                           ended_on=ended)
                held_terms[village].append((started, ended))
        rows = []
        for unit, who, start, length in staff:
            started = DAY + timedelta(days=start)
            ended = None if length is None else started + timedelta(days=length)
            cadre("干部", areas[unit], person=persons[who], started_on=started, ended_on=ended)
            rows.append((unit, persons[who], started, ended))
        on = DAY + timedelta(days=on_offset)

        def runs(started, ended):
            return started <= on and (ended is None or on <= ended)

        held = {v: any(runs(*span) for span in spans) for v, spans in held_terms.items()}
        posts = {areas[v].pk: (int(held[v]), 1) for v in VILLAGES}
        posts[areas["sumu"].pk] = (int(held["gacha"]), 1)
        posts[areas["city"].pk] = (sum(held.values()), 3)

        in_post = [(unit, person) for unit, person, started, ended in rows if runs(started, ended)]

        def disabled(person):
            return person is not None and any(card.is_valid_on(on) for card in person.certificates.all())

        cadres = {}
        for label, units in (("city", {"city", "sumu"}), ("sumu", {"sumu"})):
            mine = [person for unit, person in in_post if unit in units]
            if mine:
                cadres[areas[label].pk] = (sum(disabled(person) for person in mine), len(mine))

        assert rolled_up(measure_by_area(MEASURES["community_officers"], on=on, year=on.year)) == posts
        assert rolled_up(measure_by_area(MEASURES["disabled_cadres"], on=on, year=on.year)) == cadres
        # The organisation pages say the same as the indicator.
        summary = selectors.summary(user=officer, on=on)
        assert (summary.posts_held, summary.villages) == posts[areas["city"].pk]
        assert (summary.disabled_cadres, summary.cadres) == cadres.get(areas["city"].pk, (0, 0))

    check()


# --- the indicator's page ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "page"), [("community_officers", "posts"), ("disabled_cadres", "cadres")])
def test_the_indicator_page_links_to_the_organisation_page_for_the_area_and_lists_no_persons(
        client, areas, officer, code, page):
    indicators_compute(year=TODAY.year, by=officer)
    client.force_login(officer)
    body = client.get(f"/indicators/{code}/?area={areas['sumu'].pk}").content.decode()
    assert f'<a href="/organisation/{page}/?area={areas["sumu"].pk}">查看明细</a>' in body
    assert "/people/" not in body and "查看计入的人员" not in body and "查看尚未覆盖的人员" not in body
    assert client.get(f"/indicators/{code}/people/?area={areas['sumu'].pk}").status_code == 404


def test_an_indicator_about_persons_keeps_its_drill_down_and_has_no_organisation_link(client, areas, officer):
    client.force_login(officer)
    body = client.get(f"/indicators/employment_rate/?area={areas['city'].pk}").content.decode()
    assert "查看计入的人员" in body and "查看明细" not in body


def test_the_link_from_the_sumus_figure_opens_the_sumus_cadres_only(client, areas, officer, carded):
    cadre("孟根", areas["city"], person=carded)
    cadre("斯琴", areas["sumu"], person=carded)
    client.force_login(officer)
    body = client.get(f"/organisation/cadres/?area={areas['sumu'].pk}").content.decode()
    assert "斯琴" in body and "孟根" not in body
    assert "在职干部 1 名，其中残疾人 1 名" in body
