"""Administrators edit the area tree in the admin; moving an area moves its subtree."""

from canlian.areas.models import Area
from canlian.areas.services import area_update


def test_admin_adds_a_gacha_under_the_sumu(admin_user, areas, client):
    client.force_login(admin_user)
    response = client.post("/admin/areas/area/add/", {
        "code": "152501200201", "name": "第二嘎查", "name_mn": "", "level": "village", "parent": areas["sumu"].pk,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    gacha = Area.objects.get(code="152501200201")
    assert gacha.path == "/152501000000/152501200000/152501200201/"


def test_moving_a_township_moves_its_villages(areas):
    area_update(area=areas["sumu"], name="格日勒敖都苏木", parent=areas["beijiang"])
    areas["gacha"].refresh_from_db()
    assert areas["gacha"].path == "/152501000000/152501001001/152501200000/152501200200/"


def test_parameters_are_listed_in_the_admin(admin_user, client):
    client.force_login(admin_user)
    page = client.get("/admin/parameters/parameter/")
    assert page.status_code == 200
    assert "残疾人证有效期" in page.content.decode()


def test_moving_an_area_under_its_own_village_is_refused_at_the_field(admin_user, areas, client):
    client.force_login(admin_user)
    sumu = areas["sumu"]
    response = client.post(f"/admin/areas/area/{sumu.pk}/change/", {
        "name": sumu.name, "name_mn": "", "parent": areas["gacha"].pk})
    assert response.status_code == 200
    assert "不能把区划移到它自己或它的下级之下" in response.content.decode()
    sumu.refresh_from_db()
    assert sumu.parent == areas["city"]
