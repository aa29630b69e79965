"""The federation's organisation (组织建设) in the browser, by keyboard alone: a federation officer sees the community
officers' coverage, finds a vacant post, is refused an empty and a wrong assignment, gives the post an officer, and
sees the coverage change; the end-of-term form refused without its reason; the cadres with the disabled share. A
community officer sees their own area's figures and may not open a post (403); a federation officer of another area
gets 404 for a community outside it. axe on every page state, also in elder mode."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from canlian.organisation.models import Association, Facility, OfficerPost, StaffMember
from canlian.organisation.services import officer_post_assign
from canlian.registry.tests.factories import make_certificate, make_person, make_user
from tests.browser.conftest import assert_accessible
from tests.browser.test_elder_mode import too_small
from tests.browser.test_rights import (
    assert_404,
    assert_refused,
    elder_off,
    elder_on,
    follow,
    keyboard_login,
    press_space_on,
    shown,
    summary_link_moves_focus,
    type_in,
    walk_at_both_sizes,
)


def _card(page, title: str):
    return page.get_by_role("region", name=title)


@pytest.fixture
def organisation(areas, officer):
    """北疆社区's post held since 2023 (东城社区 and 第一嘎查 vacant); a blind persons' association, a 温馨家园; two
    cadres at the city federation, one of them disabled (her own file holds a valid card)."""
    post = officer_post_assign(area=areas["beijiang"], by=officer, holder_name="乌兰", holder_phone="13847900001",
                               holder_disabled=False, started_on=date(2023, 3, 1))
    Association.objects.create(kind=Association.Kind.BLIND, name="二连浩特市盲人协会", area=areas["city"],
                               chair_name="阿拉坦", members=35, founded_on=date(2019, 5, 1))
    Facility.objects.create(kind=Facility.Kind.WARM_HOME, name="北疆社区温馨家园", area=areas["beijiang"], capacity=30,
                            status=Facility.Status.OPEN, opened_on=date(2022, 6, 1))
    cadre = make_person(by=officer, area=areas["beijiang"], name="萨仁", birth=date(1982, 4, 5), sequence=22)
    make_certificate(person=cadre, by=officer, category=4, grade=3, on=date(2021, 3, 1))
    StaffMember.objects.create(name="萨仁", unit_area=areas["city"], position="副理事长", person=cadre,
                               started_on=date(2018, 1, 1))
    StaffMember.objects.create(name="张伟", unit_area=areas["city"], position="办公室主任", started_on=date(2016, 7, 1))
    return post


def test_a_vacant_post_gets_an_officer_and_the_coverage_rises(page, officer, areas, organisation):
    today = timezone.localdate()
    dongcheng = areas["dongcheng"]
    keyboard_login(page, officer)

    # The overview, from the main navigation: one post of three held; half the cadres disabled.
    follow(page, ".nav a[href='/organisation/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("组织建设")
    coverage = _card(page, "社区（嘎查）专职委员覆盖率")
    expect(coverage.locator(".card__number")).to_have_text("33.33%")
    expect(coverage).to_contain_text("1 / 3 个社区和嘎查已配备")
    expect(_card(page, "残联干部中残疾人比例").locator(".card__number")).to_have_text("50%")
    expect(page.get_by_role("table", name="残疾人协会")).to_contain_text("二连浩特市盲人协会")
    expect(page.get_by_role("table", name="服务设施")).to_contain_text("运营中")
    assert_accessible(page, state="organisation overview")

    # The posts: the vacant ones marked.
    follow(page, "main a[href='/organisation/posts/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("专职委员配备")
    expect(page.locator("main .lead")).to_contain_text("3 个社区和嘎查")
    expect(page.locator("main .lead strong")).to_have_text("2 个岗位空缺。")
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="北疆社区")).to_contain_text("乌兰")
    expect(rows.filter(has_text="东城社区")).to_contain_text("空缺")
    assert_accessible(page, state="posts, two vacant")

    # 东城社区's post: vacant; the assignment refused empty, then with a wrong phone.
    follow(page, f"main a[href='/organisation/posts/{dongcheng.pk}/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("东城社区专职委员")
    expect(page.locator("main .lead")).to_have_text("岗位空缺")
    expect(page.get_by_role("heading", name="配备专职委员")).to_be_visible()
    expect(page.get_by_role("button", name="登记离任")).to_have_count(0)  # nobody to end
    expect(page.get_by_label("任职日期")).to_have_value(today.isoformat())
    assert_accessible(page, state="vacant post")
    follow(page, "button[value=assign]")
    assert_refused(page, ["#id_assign-holder_name"])
    expect(page.locator(".error-summary")).to_contain_text("专职委员姓名：请填写专职委员姓名。")
    expect(page).to_have_title("错误：东城社区专职委员 - 残联综合服务平台")
    assert_accessible(page, state="assignment refused: empty")
    summary_link_moves_focus(page, "#id_assign-holder_name")
    page.keyboard.type("斯琴")
    type_in(page, "#id_assign-holder_phone", "138479")
    press_space_on(page, "#id_assign-holder_disabled")
    follow(page, "button[value=assign]")
    assert_refused(page, ["#id_assign-holder_phone"])
    expect(page.locator(".error-summary")).to_contain_text("请输入11位手机号或带区号的固定电话")
    expect(page.locator("#id_assign-holder_name")).to_have_value("斯琴")
    expect(page.locator("#id_assign-holder_disabled")).to_be_checked()
    assert not OfficerPost.objects.filter(area=dongcheng).exists()
    assert_accessible(page, state="assignment refused: a wrong phone")

    # Elder mode on the post, and its refusal there.
    elder_on(page)
    assert_accessible(page, state="vacant post, elder mode")
    follow(page, "button[value=assign]")
    assert_refused(page, ["#id_assign-holder_name"])
    assert too_small(page, 60) == []
    assert_accessible(page, state="assignment refused, elder mode")
    elder_off(page)

    # Assigned: 斯琴, herself disabled, from today.
    type_in(page, "#id_assign-holder_name", "斯琴")
    type_in(page, "#id_assign-holder_phone", "13847900002")
    press_space_on(page, "#id_assign-holder_disabled")
    follow(page, "button[value=assign]")
    expect(page.get_by_role("status")).to_contain_text("斯琴 已任东城社区专职委员。")
    expect(page.locator("main .lead")).to_have_text(f"现任：斯琴，{shown(today)} 起任职。")
    terms = page.get_by_role("table", name="历任").locator("tbody tr")
    expect(terms).to_have_count(1)
    expect(terms).to_contain_text("斯琴残疾人")
    post = OfficerPost.objects.get(area=dongcheng)
    assert (post.holder_name, post.holder_phone, post.holder_disabled, post.started_on, post.ended_on) == (
        "斯琴", "13847900002", True, today, None)
    assert_accessible(page, state="post held")

    # Her term ended without a reason: refused.
    expect(page.get_by_role("heading", name="换届：新的专职委员任职")).to_be_visible()
    follow(page, "button[value=end]")
    assert_refused(page, ["#id_end-reason"])
    expect(page.locator(".error-summary")).to_contain_text("离任原因：请填写离任原因。")
    assert OfficerPost.objects.get(area=dongcheng).ended_on is None
    assert_accessible(page, state="end of term refused: no reason")

    # The coverage has changed: one vacant post left, two of three held.
    follow(page, "main a[href='/organisation/posts/']")
    expect(page.locator("main .lead strong")).to_have_text("1 个岗位空缺。")
    expect(rows.filter(has_text="东城社区")).to_contain_text("斯琴")
    expect(rows.filter(has_text="东城社区")).to_contain_text(shown(today))
    assert_accessible(page, state="posts, one vacant")
    follow(page, "main a[href='/organisation/']")
    expect(coverage.locator(".card__number")).to_have_text("66.67%")
    expect(coverage).to_contain_text("2 / 3 个社区和嘎查已配备")
    assert_accessible(page, state="organisation overview, coverage risen")

    # The cadres: two in post, one disabled.
    follow(page, "main a[href='/organisation/cadres/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("残联干部")
    expect(page.locator("main .lead")).to_contain_text("在职干部 2 名，其中残疾人 1 名（50%）")
    cadres = page.locator("main tbody tr")
    expect(cadres).to_have_count(2)
    expect(cadres.filter(has_text="萨仁")).to_contain_text("是")
    expect(cadres.filter(has_text="张伟")).to_contain_text("否")
    assert_accessible(page, state="cadres")


def test_a_community_officer_sees_their_own_area_and_may_not_open_a_post_and_another_area_is_404(
        page, beijiang_officer, areas, organisation):
    # The community officer: their own community's figures; the post is a federation officer's to assign (403).
    keyboard_login(page, beijiang_officer)
    page.goto("/organisation/")
    coverage = _card(page, "社区（嘎查）专职委员覆盖率")
    expect(coverage.locator(".card__number")).to_have_text("100%")
    expect(coverage).to_contain_text("1 / 1 个社区和嘎查已配备")
    page.goto("/organisation/posts/")
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("乌兰")
    expect(rows.locator("a")).to_have_count(0)
    assert_accessible(page, state="posts, a community officer")
    for area in ("beijiang", "dongcheng"):
        response = page.goto(f"/organisation/posts/{areas[area].pk}/")
        assert response.status == 403, area
        expect(page.get_by_role("heading", level=1)).to_have_text("无权访问")
        assert "乌兰" not in page.content()
    assert_accessible(page, state="403 for a community officer on a post")

    # A federation officer of the sumu only: a community of the city outside it is not found.
    sumu_officer = make_user("sumu", "federation_officer", [areas["sumu"]])
    keyboard_login(page, sumu_officer)
    assert_404(page, f"/organisation/posts/{areas['beijiang'].pk}/", leaks=("乌兰", "北疆社区"))
    assert_404(page, f"/organisation/posts/{areas['sumu'].pk}/")  # a sumu has no post of its own
    assert_accessible(page, state="404 for another area's post")
    page.goto("/organisation/posts/")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("第一嘎查")
    expect(rows).to_contain_text("空缺")
    follow(page, f"main a[href='/organisation/posts/{areas['gacha'].pk}/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("第一嘎查专职委员")


def test_every_organisation_page_in_elder_mode(page, officer, areas, organisation):
    keyboard_login(page, officer)
    walk_at_both_sizes(page, {
        "organisation overview": "/organisation/",
        "posts": "/organisation/posts/",
        "post held, with the end of term": f"/organisation/posts/{areas['beijiang'].pk}/",
        "post vacant": f"/organisation/posts/{areas['dongcheng'].pk}/",
        "cadres": "/organisation/cadres/",
    })
