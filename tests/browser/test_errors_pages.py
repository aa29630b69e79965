"""The Chinese 404 and 403 pages: what another community's person and a leader's attempt look like."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login


def test_another_communitys_person_is_404(page, community_officer, persons):
    login(page, community_officer)
    for path in (f"/persons/{persons['wang'].pk}/", f"/persons/{persons['wang'].pk}/reveal-id/",
                 f"/certificates/{persons['wang_card'].pk}/renew/"):
        response = page.goto(path)
        assert response.status == 404, path
        expect(page).to_have_title("找不到页面 - 残联综合服务平台")
        main = page.get_by_role("main")
        assert main.get_by_role("heading", level=1).inner_text() == "找不到页面"
        assert "王大明" not in page.content()  # nothing leaks, not even the name
    # The same page as for a person who does not exist at all.
    assert page.goto("/persons/999999/").status == 404
    main.get_by_role("link", name="返回工作台").click()
    assert page.get_by_role("heading", level=1).inner_text() == "工作台"
    page.goto(f"/persons/{persons['wang'].pk}/")
    assert_accessible(page, state="404 for another community's person")


def test_unknown_address_is_404_before_login(page, transactional_db):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "找不到页面"
    assert_accessible(page, state="404 anonymous")


def test_leader_on_person_page_is_403(page, leader, persons):
    login(page, leader)
    for path in (f"/persons/{persons['zhang'].pk}/", "/persons/", "/certificates/expiring/", "/audit/"):
        response = page.goto(path)
        assert response.status == 403, path
        expect(page).to_have_title("无权访问 - 残联综合服务平台")
        assert "张三丰" not in page.content()
    page.goto(f"/persons/{persons['zhang'].pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "无权访问"
    assert_accessible(page, state="403 for a leader")


def test_admin_cannot_open_person_files(page, admin_user, persons):
    login(page, admin_user)
    assert page.goto(f"/persons/{persons['zhang'].pk}/").status == 403
    assert_accessible(page, state="403 for an admin")
