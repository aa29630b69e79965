"""The organisation pages: officers and leaders read the overview, the posts and the cadres of their areas; only
federation officers (残联工作人员) change a post, and only a post in their areas; a refused change answers 400 with
the error at its field and changes nothing."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from canlian.accounts.models import Role
from canlian.audit.models import AccessLog
from canlian.organisation.models import Association, Facility, OfficerPost
from canlian.organisation.tests.conftest import assign, cadre
from canlian.registry.tests.factories import make_user

TODAY = timezone.localdate()


def _html(response) -> str:
    return response.content.decode()


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", _html(response), re.S).group(1).strip()


def _assert_error_at(response, field_id: str, message: str):
    """The GOV.UK error state: 400, 错误： in the title, a summary linking to the field, the message at the field."""
    assert response.status_code == 400
    assert _title(response).startswith("错误：")
    html = _html(response)
    assert 'class="error-summary"' in html and f'href="#{field_id}"' in html
    error = re.search(rf'<p class="error-message" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    assert error and message in error.group(1), html


def _terms(area) -> list[tuple]:
    return list(OfficerPost.objects.filter(area=area).order_by("pk")
                .values_list("holder_name", "holder_phone", "started_on", "ended_on", "end_reason"))


def _assign(client, area, **values):
    return client.post(f"/organisation/posts/{area.pk}/", {
        "action": "assign", "assign-holder_name": "王海燕", "assign-holder_phone": "13847900002",
        "assign-started_on": "2024-03-01", **values})


def _end(client, area, **values):
    return client.post(f"/organisation/posts/{area.pk}/", {
        "action": "end", "end-ended_on": "2024-09-30", "end-reason": "迁居外地", **values})


@pytest.fixture
def held(areas, officer):
    """北疆社区's post, held since 2021 by 乌日娜."""
    return assign(areas["beijiang"], officer, "乌日娜", date(2021, 5, 1))


# --- reading --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["officer", "leader", "beijiang_officer"])
@pytest.mark.parametrize("page", ["/organisation/", "/organisation/posts/", "/organisation/cadres/"])
def test_officers_and_leaders_read_the_organisation_pages(client, request, areas, user, page):
    client.force_login(request.getfixturevalue(user))
    assert client.get(page).status_code == 200


@pytest.mark.parametrize("page", ["/organisation/", "/organisation/posts/", "/organisation/cadres/"])
def test_a_platform_administrator_and_a_resident_get_403(client, areas, admin_user, page):
    client.force_login(admin_user)
    assert client.get(page).status_code == 403
    client.force_login(make_user("resident", Role.RESIDENT, [areas["city"]]))
    assert client.get(page).status_code == 403


def test_signed_out_the_pages_ask_to_sign_in(client, areas):
    assert client.get("/organisation/").status_code == 302
    assert client.get(f"/organisation/posts/{areas['beijiang'].pk}/").status_code == 302


def test_the_overview_shows_coverage_the_disabled_share_associations_and_facilities(client, areas, officer, leader,
                                                                                   held, carded):
    cadre("孟根", areas["city"], person=carded)
    cadre("马超", areas["city"])
    cadre("高娃", areas["sumu"])
    Association.objects.create(kind=Association.Kind.BLIND, name="二连浩特市盲人协会", area=areas["city"],
                               founded_on=date(2012, 5, 1))
    Facility.objects.create(kind=Facility.Kind.WARM_HOME, name="北疆社区温馨家园", area=areas["beijiang"])
    client.force_login(leader)
    html = _html(client.get("/organisation/"))
    assert "33.33%" in html and "1 / 3 个社区和嘎查已配备" in html
    assert "3 名干部中残疾人 1 名" in html
    assert "二连浩特市盲人协会" in html and "北疆社区温馨家园" in html


def test_the_posts_page_shows_each_holder_and_each_vacancy(client, areas, officer, held):
    client.force_login(officer)
    html = _html(client.get("/organisation/posts/"))
    assert "乌日娜" in html and "13847900001" in html and "2 个岗位空缺" in html
    assert html.count("空缺</strong></td>") == 2


def test_the_posts_page_under_the_sumu_lists_its_gachas_only(client, areas, officer, held):
    client.force_login(officer)
    html = _html(client.get(f"/organisation/posts/?area={areas['sumu'].pk}"))
    assert "第一嘎查" in html and "北疆社区" not in html and "格日勒敖都苏木" in html


def test_a_community_officer_sees_only_their_communitys_post(client, areas, officer, beijiang_officer, held):
    assign(areas["dongcheng"], officer, "巴图", date(2022, 1, 1))
    client.force_login(beijiang_officer)
    html = _html(client.get("/organisation/posts/"))
    assert "乌日娜" in html and "巴图" not in html and "东城社区" not in html
    # Asking for another area shows nothing of it.
    assert "巴图" not in _html(client.get(f"/organisation/posts/?area={areas['dongcheng'].pk}"))


def test_only_a_federation_officer_is_offered_the_link_to_change_a_post(client, areas, officer, leader,
                                                                       beijiang_officer, held):
    link = f'href="/organisation/posts/{areas["beijiang"].pk}/"'
    client.force_login(officer)
    assert link in _html(client.get("/organisation/posts/"))
    for user in (leader, beijiang_officer):
        client.force_login(user)
        assert link not in _html(client.get("/organisation/posts/"))


def test_the_cadres_page_says_who_is_a_disabled_cadre_and_the_share(client, areas, officer, leader, carded):
    cadre("孟根", areas["city"], person=carded, position="理事长")
    cadre("马超", areas["city"], position="财务")
    cadre("吴刚", areas["city"], ended_on=TODAY - timedelta(days=1))
    client.force_login(leader)  # a leader: the totals, not who is disabled
    html = _html(client.get("/organisation/cadres/"))
    assert "在职干部 2 名，其中残疾人 1 名" in html and "50%" in html
    assert "孟根" not in html and not AccessLog.objects.exists()
    client.force_login(officer)  # the officers who keep the records: the list, each linked file's look logged
    html = _html(client.get("/organisation/cadres/"))
    assert AccessLog.objects.get().person_id == carded.pk
    assert "孟根" in html and "理事长" in html and "吴刚" not in html
    assert re.search(r"孟根</th>.*?<td>是</td></tr>", html, re.S)
    assert re.search(r"马超</th>.*?<td>否</td></tr>", html, re.S)


# --- a post's page (federation officers only) --------------------------------------------------------------


def test_a_federation_officer_sees_a_posts_terms(client, areas, officer, held):
    client.force_login(officer)
    response = client.get(f"/organisation/posts/{areas['beijiang'].pk}/")
    assert response.status_code == 200
    assert "现任：乌日娜，2021年5月1日 起任职。" in _html(response)


def test_a_vacant_posts_page_says_so_and_offers_no_leaving(client, areas, officer):
    client.force_login(officer)
    html = _html(client.get(f"/organisation/posts/{areas['dongcheng'].pk}/"))
    assert "岗位空缺" in html and 'value="end"' not in html


@pytest.mark.parametrize("user", ["beijiang_officer", "leader"])
def test_a_community_officer_and_a_leader_cannot_change_a_post(client, request, areas, held, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(f"/organisation/posts/{areas['beijiang'].pk}/").status_code == 403
    assert _assign(client, areas["beijiang"], **{"assign-started_on": "2024-03-01"}).status_code == 403
    assert _end(client, areas["beijiang"]).status_code == 403
    assert _terms(areas["beijiang"]) == [("乌日娜", "13847900001", date(2021, 5, 1), None, "")]


def test_another_areas_post_is_not_found(client, areas, officer):
    sumu_officer = make_user("sumu", Role.FEDERATION_OFFICER, [areas["sumu"]])
    client.force_login(sumu_officer)
    assert client.get(f"/organisation/posts/{areas['gacha'].pk}/").status_code == 200
    assert client.get(f"/organisation/posts/{areas['beijiang'].pk}/").status_code == 404
    assert _assign(client, areas["beijiang"]).status_code == 404
    assert not OfficerPost.objects.exists()


@pytest.mark.parametrize("area", ["city", "sumu"])
def test_an_area_above_the_communities_has_no_post_page(client, areas, officer, area):
    client.force_login(officer)
    assert client.get(f"/organisation/posts/{areas[area].pk}/").status_code == 404


def test_a_new_holder_is_saved_and_the_page_shown_again(client, areas, officer, held):
    client.force_login(officer)
    response = _assign(client, areas["beijiang"])
    assert response.status_code == 302 and response["Location"] == f"/organisation/posts/{areas['beijiang'].pk}/"
    assert _terms(areas["beijiang"]) == [
        ("乌日娜", "13847900001", date(2021, 5, 1), date(2024, 2, 29), "换届：王海燕 接任"),
        ("王海燕", "13847900002", date(2024, 3, 1), None, ""),
    ]
    assert "王海燕 已任北疆社区专职委员。" in _html(client.get(response["Location"]))


def test_a_holder_who_leaves_leaves_the_post_vacant(client, areas, officer, held):
    client.force_login(officer)
    response = _end(client, areas["beijiang"])
    assert response.status_code == 302
    assert _terms(areas["beijiang"]) == [("乌日娜", "13847900001", date(2021, 5, 1), date(2024, 9, 30), "迁居外地")]
    assert "乌日娜 已离任，北疆社区专职委员岗位空缺。" in _html(client.get(response["Location"]))


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"assign-holder_name": ""}, "holder_name", "请填写专职委员姓名。"),
    ({"assign-holder_name": "<script>alert(1)</script>"}, "holder_name", "姓名只能包含汉字、蒙古文、字母、空格和间隔号"),
    ({"assign-holder_phone": "12345"}, "holder_phone", "请输入11位手机号或带区号的固定电话"),
    ({"assign-started_on": ""}, "started_on", "请填写任职日期。"),
    ({"assign-started_on": "2024-02-30"}, "started_on", "请按 2026-03-15 的格式填写日期。"),
    ({"assign-started_on": "2021-05-01"}, "started_on", "任职日期应晚于该岗位已有任职的开始日期。"),
], ids=["no-name", "hostile-name", "bad-phone", "no-date", "not-a-date", "not-after-the-running-term"])
def test_a_refused_assignment_answers_400_at_the_field_and_changes_nothing(client, areas, officer, held, values,
                                                                          field, message):
    client.force_login(officer)
    before = _terms(areas["beijiang"])
    _assert_error_at(_assign(client, areas["beijiang"], **values), f"id_assign-{field}", message)
    assert _terms(areas["beijiang"]) == before


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"end-reason": ""}, "reason", "请填写离任原因。"),
    ({"end-reason": "   "}, "reason", "请填写离任原因。"),
    ({"end-ended_on": ""}, "ended_on", "请填写离任日期。"),
    ({"end-ended_on": "2021-04-30"}, "ended_on", "离任日期不能早于任职日期 2021-05-01。"),
], ids=["no-reason", "blank-reason", "no-date", "before-the-start"])
def test_a_refused_leaving_answers_400_at_the_field_and_changes_nothing(client, areas, officer, held, values, field,
                                                                       message):
    client.force_login(officer)
    _assert_error_at(_end(client, areas["beijiang"], **values), f"id_end-{field}", message)
    assert _terms(areas["beijiang"]) == [("乌日娜", "13847900001", date(2021, 5, 1), None, "")]


def test_a_refused_assignment_keeps_what_was_typed(client, areas, officer, held):
    client.force_login(officer)
    html = _html(_assign(client, areas["beijiang"], **{"assign-holder_phone": "12345"}))
    assert 'value="王海燕"' in html and 'value="12345"' in html
