"""A community officer's term in the post of a community or gacha (专职委员任职): it starts in a community or gacha
the officer covers, the running term ends the day before the next starts (换届), and a holder leaves with a reason
(离任); every refusal is at its field, in Chinese, and changes nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from canlian.accounts.models import Role
from canlian.common.tests.concurrency import race
from canlian.organisation import services
from canlian.organisation.models import OfficerPost
from canlian.organisation.tests.conftest import assign, end
from canlian.registry.tests.factories import make_user


def _terms(area) -> list[tuple]:
    return list(OfficerPost.objects.filter(area=area).order_by("started_on")
                .values_list("holder_name", "started_on", "ended_on", "end_reason"))


def _refused(error: ValidationError) -> dict[str, list[str]]:
    return error.value.message_dict


# --- a term starts (任职) --------------------------------------------------------------------------


def test_a_term_starts_in_a_communitys_post_with_its_holder(areas, officer):
    post = services.officer_post_assign(area=areas["beijiang"], by=officer, holder_name="  乌日娜 ",
                                        holder_phone="138 4790 0001", holder_disabled=True,
                                        started_on=date(2024, 3, 1))
    post.refresh_from_db()
    assert (post.area, post.holder_name, post.holder_phone, post.holder_disabled, post.started_on, post.ended_on) \
        == (areas["beijiang"], "乌日娜", "13847900001", True, date(2024, 3, 1), None)


def test_a_gachas_post_is_assigned_like_a_communitys(areas, officer):
    assign(areas["gacha"], officer, "巴图")
    assert _terms(areas["gacha"]) == [("巴图", date(2024, 1, 1), None, "")]


def test_a_holder_without_a_phone_is_accepted(areas, officer):
    assert assign(areas["beijiang"], officer, phone="").holder_phone == ""


def test_a_mongolian_name_with_the_middle_dot_is_accepted(areas, officer):
    assert assign(areas["gacha"], officer, "巴特尔·额尔敦").holder_name == "巴特尔·额尔敦"


@pytest.mark.parametrize("level", ["city", "sumu"])
def test_there_is_no_post_above_a_community_or_gacha(areas, officer, level):
    with pytest.raises(ValidationError) as error:
        assign(areas[level], officer)
    assert error.value.messages == ["专职委员岗位设在社区或嘎查。"]
    assert not OfficerPost.objects.exists()


def test_a_community_outside_the_officers_areas_is_refused(areas):
    beijiang_federation_officer = make_user("beijiang_fo", Role.FEDERATION_OFFICER, [areas["beijiang"]])
    with pytest.raises(ValidationError) as error:
        assign(areas["dongcheng"], beijiang_federation_officer)
    assert error.value.messages == ["“东城社区”不在您负责的区域内。"]
    assert not OfficerPost.objects.exists()


def test_only_the_federations_officers_keep_the_posts(areas, beijiang_officer, leader):
    for user in (beijiang_officer, leader):
        with pytest.raises(PermissionDenied):
            assign(areas["beijiang"], user)
    assert not OfficerPost.objects.exists()


def test_a_term_is_recorded_once_it_has_started(areas, officer):
    with pytest.raises(ValidationError) as error:
        assign(areas["beijiang"], officer, on=timezone.localdate() + timedelta(days=1))
    assert error.value.message_dict == {"started_on": ["日期不能晚于今天：到任或离任后再登记。"]}


def test_an_officer_of_the_sumu_assigns_its_gacha_but_not_a_city_community(areas):
    sumu_officer = make_user("sumu", Role.FEDERATION_OFFICER, [areas["sumu"]])
    assign(areas["gacha"], sumu_officer)
    with pytest.raises(ValidationError, match="北疆社区"):
        assign(areas["beijiang"], sumu_officer)


def test_a_resident_cannot_assign_a_post(areas):
    resident = make_user("resident", Role.RESIDENT, [areas["city"]])
    with pytest.raises(PermissionDenied):
        assign(areas["beijiang"], resident)
    assert not OfficerPost.objects.exists()


def test_a_new_holder_ends_the_running_term_the_day_before_and_says_who_took_over(areas, officer):
    assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1))
    assign(areas["beijiang"], officer, "王海燕", date(2024, 3, 1))
    assert _terms(areas["beijiang"]) == [
        ("乌日娜", date(2021, 5, 1), date(2024, 2, 29), "换届：王海燕 接任"),  # 2024 is a leap year
        ("王海燕", date(2024, 3, 1), None, ""),
    ]


def test_a_handover_leaves_the_other_communities_terms_alone(areas, officer):
    assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1))
    assign(areas["dongcheng"], officer, "巴图", date(2022, 1, 1))
    assign(areas["dongcheng"], officer, "张丽", date(2024, 1, 1))
    assert _terms(areas["beijiang"]) == [("乌日娜", date(2021, 5, 1), None, "")]


def test_a_new_holder_the_day_after_the_running_term_began_leaves_it_one_day(areas, officer):
    assign(areas["beijiang"], officer, "乌日娜", date(2024, 1, 1))
    assign(areas["beijiang"], officer, "王海燕", date(2024, 1, 2))
    assert _terms(areas["beijiang"])[0][1:3] == (date(2024, 1, 1), date(2024, 1, 1))


@pytest.mark.parametrize("started_on", [date(2024, 3, 1), date(2023, 12, 31), date(2020, 1, 1)],
                         ids=["same-day", "day-before", "years-before"])
def test_a_term_starting_no_later_than_the_running_terms_start_is_refused(areas, officer, started_on):
    assign(areas["beijiang"], officer, "乌日娜", date(2024, 3, 1))
    before = _terms(areas["beijiang"])
    with pytest.raises(ValidationError) as error:
        assign(areas["beijiang"], officer, "王海燕", started_on)
    assert _refused(error) == {"started_on": ["任职日期应晚于该岗位已有任职的开始日期。"]}
    assert _terms(areas["beijiang"]) == before


def test_a_term_starting_before_an_earlier_terms_start_is_refused_though_the_post_is_vacant(areas, officer):
    post = assign(areas["beijiang"], officer, "乌日娜", date(2022, 1, 1))
    end(post, officer, date(2023, 6, 30))
    with pytest.raises(ValidationError) as error:
        assign(areas["beijiang"], officer, "王海燕", date(2021, 1, 1))
    assert "started_on" in _refused(error)
    assert len(_terms(areas["beijiang"])) == 1


@pytest.mark.parametrize("started_on", [date(2023, 6, 30), date(2023, 1, 1)], ids=["end-day", "inside"])
def test_a_term_starting_before_the_last_holder_left_is_refused(areas, officer, started_on):
    # Two holders on one day: the post's history would count it twice over.
    post = assign(areas["beijiang"], officer, "乌日娜", date(2022, 1, 1))
    end(post, officer, date(2023, 6, 30))
    with pytest.raises(ValidationError) as error:
        assign(areas["beijiang"], officer, "王海燕", started_on)
    assert _refused(error) == {"started_on": ["任职日期应晚于上一任的离任日期 2023-06-30。"]}
    assert len(_terms(areas["beijiang"])) == 1


def test_a_term_starting_the_day_after_the_last_holder_left_fills_the_post(areas, officer):
    post = assign(areas["beijiang"], officer, "乌日娜", date(2022, 1, 1))
    end(post, officer, date(2023, 6, 30), "退休")
    assign(areas["beijiang"], officer, "王海燕", date(2023, 7, 1))
    assert _terms(areas["beijiang"]) == [("乌日娜", date(2022, 1, 1), date(2023, 6, 30), "退休"),
                                         ("王海燕", date(2023, 7, 1), None, "")]


@pytest.mark.parametrize("name", [
    "<script>alert(1)</script>", "王五'); DROP TABLE organisation_officerpost;--", "{{ request.user }}",
    "张三1", "@admin", "李\u200b四", "", "   ", "张" * 51,
], ids=["script", "sql", "template", "digit", "at", "zero-width", "empty", "spaces", "too-long"])
def test_a_holder_name_that_is_not_a_name_is_refused_at_the_field(areas, officer, name):
    with pytest.raises(ValidationError) as error:
        assign(areas["beijiang"], officer, name)
    assert list(_refused(error)) == ["holder_name"]
    assert not OfficerPost.objects.exists()


@pytest.mark.parametrize("phone", ["12345", "1384790000", "138479000011", "1384790000a", "+86<b>13847900001</b>"])
def test_a_phone_that_is_not_a_phone_number_is_refused_at_the_field(areas, officer, phone):
    with pytest.raises(ValidationError) as error:
        assign(areas["beijiang"], officer, phone=phone)
    assert _refused(error) == {"holder_phone": [
        "请输入11位手机号或带区号的固定电话，例如 13800000000 或 0479-7512345。"]}
    assert not OfficerPost.objects.exists()


def test_a_refused_handover_leaves_the_running_term_running(areas, officer):
    assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1))
    with pytest.raises(ValidationError):
        assign(areas["beijiang"], officer, "<b>王海燕</b>", date(2024, 3, 1))
    assert _terms(areas["beijiang"]) == [("乌日娜", date(2021, 5, 1), None, "")]


@pytest.mark.django_db(transaction=True)
def test_two_officers_filling_a_vacant_post_at_once_leave_one_holder(areas, officer):
    # Both find the post vacant; the second must wait for the first and then take over from it (or be refused),
    # never fail on the one-holder constraint.
    other = make_user("other_officer", Role.FEDERATION_OFFICER, [areas["city"]])
    outcomes = race(lambda index: assign(areas["beijiang"], [officer, other][index], ["乌日娜", "王海燕"][index],
                                         [date(2024, 1, 1), date(2024, 6, 1)][index]))
    assert len(outcomes) == 2  # a thread that failed with anything but a refusal left no outcome
    assert OfficerPost.objects.filter(area=areas["beijiang"], ended_on__isnull=True).count() == 1
    assert OfficerPost.objects.get(area=areas["beijiang"], ended_on__isnull=True).holder_name == "王海燕"


# --- a holder leaves (离任) ----------------------------------------------------------------------------


def test_a_holder_leaves_with_the_reason_and_the_post_is_vacant(areas, officer):
    post = end(assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1)), officer, date(2024, 9, 30),
               "  迁居  外地 ")
    post.refresh_from_db()
    assert (post.ended_on, post.end_reason) == (date(2024, 9, 30), "迁居 外地")
    assert not OfficerPost.objects.filter(area=areas["beijiang"], ended_on__isnull=True).exists()


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_leaving_needs_a_reason(areas, officer, reason):
    post = assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1))
    with pytest.raises(ValidationError) as error:
        end(post, officer, date(2024, 9, 30), reason)
    assert _refused(error) == {"reason": ["请填写离任原因。"]}
    post.refresh_from_db()
    assert (post.ended_on, post.end_reason) == (None, "")


def test_leaving_before_the_term_began_is_refused(areas, officer):
    post = assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1))
    with pytest.raises(ValidationError) as error:
        end(post, officer, date(2021, 4, 30))
    assert _refused(error) == {"ended_on": ["离任日期不能早于任职日期 2021-05-01。"]}
    post.refresh_from_db()
    assert post.ended_on is None


def test_leaving_on_the_day_the_term_began_is_a_one_day_term(areas, officer):
    post = end(assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1)), officer, date(2021, 5, 1))
    assert post.ended_on == post.started_on


def test_a_term_that_has_ended_cannot_end_again(areas, officer):
    post = assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1))
    end(post, officer, date(2024, 9, 30), "退休")
    with pytest.raises(ValidationError) as error:
        end(post, officer, date(2024, 10, 31), "迁居外地")
    assert error.value.messages == ["这一任职已经结束。"]
    post.refresh_from_db()
    assert (post.ended_on, post.end_reason) == (date(2024, 9, 30), "退休")


def test_a_term_ended_by_a_handover_cannot_end_again(areas, officer):
    first = assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1))
    assign(areas["beijiang"], officer, "王海燕", date(2024, 3, 1))
    with pytest.raises(ValidationError, match="已经结束"):
        end(first, officer, date(2024, 9, 30))


def test_a_holder_in_another_community_cannot_be_ended_by_its_officer(areas, officer):
    post = assign(areas["dongcheng"], officer, "巴图", date(2021, 5, 1))
    beijiang_federation_officer = make_user("beijiang_fo", Role.FEDERATION_OFFICER, [areas["beijiang"]])
    with pytest.raises(ValidationError) as error:
        end(post, beijiang_federation_officer, date(2024, 9, 30))
    assert error.value.messages == ["“东城社区”不在您负责的区域内。"]
    post.refresh_from_db()
    assert post.ended_on is None


def test_a_resident_cannot_end_a_term(areas, officer):
    post = assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1))
    with pytest.raises(PermissionDenied):
        end(post, make_user("resident", Role.RESIDENT, [areas["city"]]), date(2024, 9, 30))
    post.refresh_from_db()
    assert post.ended_on is None
