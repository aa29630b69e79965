"""Reading the federation's organisation as of a day, in the user's areas: every community and gacha with the
officer in post or 空缺, the coverage and the disabled cadres' share, and who counts as a disabled cadre (their own
file holds a card valid on the day)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.http import Http404

from canlian.accounts.models import Role
from canlian.organisation import selectors
from canlian.organisation.models import Association, Facility
from canlian.organisation.tests.conftest import assign, cadre, end
from canlian.registry.tests.factories import make_user

ON = date(2024, 12, 31)


def _posts(user, on: date = ON, under=None) -> dict[str, str | None]:
    return {post.area.name: post.holder and post.holder.holder_name
            for post in selectors.posts(user=user, on=on, under=under)}


def _cadres(user, on: date = ON, under=None) -> dict[str, bool]:
    return {staff.name: staff.disabled for staff in selectors.cadres(user=user, on=on, under=under)}


# --- the posts ---------------------------------------------------------------------------------------


def test_every_community_and_gacha_is_listed_in_path_order_with_its_holder_or_vacant(areas, officer):
    assign(areas["beijiang"], officer, "乌日娜")
    assign(areas["gacha"], officer, "巴图")
    assert list(_posts(officer).items()) == [("北疆社区", "乌日娜"), ("东城社区", None), ("第一嘎查", "巴图")]


def test_the_city_and_the_sumu_have_no_post_of_their_own(areas, officer):
    assert {post.area.level for post in selectors.posts(user=officer, on=ON)} == {"village"}


def test_a_community_officer_sees_only_their_own_communitys_post(areas, officer, beijiang_officer):
    assign(areas["beijiang"], officer, "乌日娜")
    assign(areas["dongcheng"], officer, "巴图")
    assert _posts(beijiang_officer) == {"北疆社区": "乌日娜"}


def test_under_the_sumu_only_its_gachas_are_listed(areas, officer):
    assign(areas["gacha"], officer, "巴图")
    assert _posts(officer, under=areas["sumu"]) == {"第一嘎查": "巴图"}
    assert _posts(officer, under=areas["beijiang"]) == {"北疆社区": None}


def test_under_an_area_outside_the_users_own_lists_nothing_of_it(areas, beijiang_officer):
    assert _posts(beijiang_officer, under=areas["sumu"]) == {}


@pytest.mark.parametrize(("ended_on", "holder"), [
    (ON - timedelta(days=1), None),  # left yesterday: vacant today
    (ON, "乌日娜"),  # leaves today: still in post today
    (ON + timedelta(days=1), "乌日娜"),  # a departure registered ahead
], ids=["yesterday", "today", "tomorrow"])
def test_a_term_runs_up_to_and_including_its_last_day(areas, officer, ended_on, holder):
    end(assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1)), officer, ended_on)
    assert _posts(officer)["北疆社区"] == holder


def test_a_term_starting_tomorrow_leaves_the_post_vacant_today(areas, officer):
    assign(areas["beijiang"], officer, "乌日娜", ON + timedelta(days=1))
    assert _posts(officer)["北疆社区"] is None
    assert _posts(officer, on=ON + timedelta(days=1))["北疆社区"] == "乌日娜"


def test_on_a_past_day_the_holder_then_is_shown_not_the_one_now(areas, officer):
    assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1))
    assign(areas["beijiang"], officer, "王海燕", date(2024, 3, 1))
    assert _posts(officer, on=date(2024, 2, 29))["北疆社区"] == "乌日娜"
    assert _posts(officer, on=date(2024, 3, 1))["北疆社区"] == "王海燕"
    assert _posts(officer, on=date(2021, 4, 30))["北疆社区"] is None


def test_a_post_area_is_found_only_among_the_users_communities_and_gachas(areas, beijiang_officer):
    assert selectors.post_area_get(user=beijiang_officer, pk=areas["beijiang"].pk) == areas["beijiang"]
    for pk in (areas["dongcheng"].pk, areas["city"].pk, 999_999, "1 OR 1=1", ""):
        with pytest.raises(Http404):
            selectors.post_area_get(user=beijiang_officer, pk=pk)


def test_a_communitys_terms_are_listed_latest_first(areas, officer):
    assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1))
    assign(areas["beijiang"], officer, "王海燕", date(2024, 3, 1))
    assign(areas["dongcheng"], officer, "巴图", date(2022, 1, 1))
    assert [term.holder_name for term in selectors.post_terms(areas["beijiang"])] == ["王海燕", "乌日娜"]


# --- the summary ---------------------------------------------------------------------------------------


def test_coverage_is_the_share_of_communities_and_gachas_with_an_officer_in_post_to_two_places(areas, officer):
    assign(areas["beijiang"], officer, "乌日娜")
    summary = selectors.summary(user=officer, on=ON)
    assert (summary.villages, summary.posts_held, summary.coverage) == (3, 1, Decimal("33.33"))
    assign(areas["gacha"], officer, "巴图")
    assert selectors.summary(user=officer, on=ON).coverage == Decimal("66.67")  # 2 / 3, rounded half up


def test_a_post_that_fell_vacant_yesterday_is_not_covered_today(areas, officer):
    end(assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1)), officer, ON - timedelta(days=1))
    assert selectors.summary(user=officer, on=ON).posts_held == 0


def test_a_community_officers_coverage_is_their_communitys(areas, officer, beijiang_officer):
    assign(areas["dongcheng"], officer, "巴图")
    summary = selectors.summary(user=beijiang_officer, on=ON)
    assert (summary.villages, summary.posts_held, summary.coverage) == (1, 0, Decimal("0.00"))


def test_without_cadres_there_is_no_disabled_share_rather_than_zero(areas, officer):
    summary = selectors.summary(user=officer, on=ON)
    assert (summary.cadres, summary.disabled_cadres, summary.disabled_share) == (0, 0, None)


def test_the_disabled_share_is_of_the_cadres_in_post_to_two_places(areas, officer, carded, expired):
    cadre("孟根", areas["city"], person=carded)
    cadre("高娃", areas["city"], person=expired)
    cadre("马超", areas["sumu"])
    cadre("吴刚", areas["city"], person=carded, ended_on=date(2023, 12, 31))  # left: not a cadre any more
    summary = selectors.summary(user=officer, on=ON)
    assert (summary.cadres, summary.disabled_cadres, summary.disabled_share) == (3, 1, Decimal("33.33"))


def test_the_summary_under_an_area_counts_its_posts_and_its_federations_cadres(areas, officer, carded):
    assign(areas["gacha"], officer, "巴图")
    cadre("孟根", areas["city"], person=carded)
    cadre("斯琴", areas["sumu"], person=carded)
    cadre("杨帆", areas["sumu"])
    summary = selectors.summary(user=officer, on=ON, under=areas["sumu"])
    assert (summary.villages, summary.posts_held, summary.cadres, summary.disabled_cadres) == (1, 1, 2, 1)
    assert summary.disabled_share == Decimal("50.00")


# --- the cadres ------------------------------------------------------------------------------------------


def test_a_cadre_whose_own_file_holds_a_valid_card_is_a_disabled_cadre(areas, officer, carded):
    cadre("孟根", areas["city"], person=carded)
    cadre("马超", areas["city"])
    assert _cadres(officer) == {"孟根": True, "马超": False}


def test_a_cadre_whose_card_has_expired_is_not_counted_disabled(areas, officer, expired):
    cadre("高娃", areas["city"], person=expired)
    assert _cadres(officer) == {"高娃": False}
    assert _cadres(officer, on=date(2020, 2, 29)) == {"高娃": True}  # the card ran until 1 March 2020


def test_a_cadre_whose_card_was_cancelled_counts_disabled_only_before_the_cancellation(areas, officer, cancelled):
    cadre("斯琴", areas["city"], person=cancelled)
    assert _cadres(officer, on=date(2024, 5, 31)) == {"斯琴": True}
    assert _cadres(officer, on=date(2024, 6, 1)) == {"斯琴": False}
    assert _cadres(officer) == {"斯琴": False}


def test_a_card_issued_after_the_day_does_not_make_a_disabled_cadre_then(areas, officer, carded):
    cadre("孟根", areas["city"], person=carded, started_on=date(2015, 1, 1))
    assert _cadres(officer, on=date(2020, 4, 30)) == {"孟根": False}
    assert _cadres(officer, on=date(2020, 5, 1)) == {"孟根": True}


def test_a_cadre_who_left_or_has_not_yet_started_is_not_listed(areas, officer, carded):
    cadre("吴刚", areas["city"], person=carded, ended_on=ON - timedelta(days=1))
    cadre("图雅", areas["city"], started_on=ON + timedelta(days=1))
    cadre("娜仁", areas["city"], ended_on=ON)
    assert _cadres(officer) == {"娜仁": False}


def test_cadres_are_those_of_the_federations_in_the_users_areas(areas, officer, beijiang_officer, carded):
    cadre("孟根", areas["city"], person=carded)
    cadre("斯琴", areas["sumu"])
    sumu_officer = make_user("sumu", Role.FEDERATION_OFFICER, [areas["sumu"]])
    assert _cadres(sumu_officer) == {"斯琴": False}
    assert _cadres(beijiang_officer) == {}
    assert _cadres(officer, under=areas["sumu"]) == {"斯琴": False}


# --- associations and facilities ------------------------------------------------------------------------


def _association(name: str, area, kind=Association.Kind.COMMUNITY, **dates) -> Association:
    return Association.objects.create(name=name, area=area, kind=kind, **dates)


def test_associations_are_those_founded_and_not_dissolved_on_the_day_in_the_users_areas(areas, officer,
                                                                                          beijiang_officer):
    _association("北疆社区残疾人协会", areas["beijiang"], founded_on=date(2015, 6, 1))
    _association("东城社区残疾人协会", areas["dongcheng"], founded_on=date(2015, 6, 1),
                 dissolved_on=date(2024, 12, 31))
    _association("第一嘎查残疾人协会", areas["gacha"], founded_on=date(2025, 1, 1))
    _association("二连浩特市盲人协会", areas["city"], kind=Association.Kind.BLIND, founded_on=date(2012, 5, 1),
                 dissolved_on=date(2025, 1, 1))
    assert {a.name for a in selectors.associations(user=officer, on=ON)} == {"北疆社区残疾人协会", "二连浩特市盲人协会"}
    assert {a.name for a in selectors.associations(user=beijiang_officer, on=ON)} == {"北疆社区残疾人协会"}


def test_an_association_whose_founding_date_is_not_known_is_listed(areas, officer):
    _association("北疆社区残疾人协会", areas["beijiang"])
    assert [a.name for a in selectors.associations(user=officer, on=ON)] == ["北疆社区残疾人协会"]


def test_facilities_are_those_in_the_users_areas(areas, officer, beijiang_officer):
    Facility.objects.create(kind=Facility.Kind.WARM_HOME, name="北疆社区温馨家园", area=areas["beijiang"])
    Facility.objects.create(kind=Facility.Kind.REHABILITATION_CENTRE, name="二连浩特市残疾人康复中心", area=areas["city"])
    assert {f.name for f in selectors.facilities(user=officer)} == {"北疆社区温馨家园", "二连浩特市残疾人康复中心"}
    assert [f.name for f in selectors.facilities(user=beijiang_officer)] == ["北疆社区温馨家园"]
