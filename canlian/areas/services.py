from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from canlian.areas.models import Area


def _clean_code(code: str) -> str:
    code = (code or "").strip()
    if len(code) != 12 or not code.isdigit():
        raise ValidationError({"code": _("区划代码应为12位数字。")})
    return code


@transaction.atomic
def area_create(*, code: str, name: str, level: str, parent: Area | None = None, name_mn: str = "") -> Area:
    """Add an area under its parent (新增行政区划)."""
    code = _clean_code(code)
    if Area.objects.filter(code=code).exists():
        raise ValidationError({"code": _("区划代码 %(code)s 已存在。") % {"code": code}})
    path = (parent.path if parent else "/") + code + "/"
    return Area.objects.create(code=code, name=name.strip(), name_mn=name_mn.strip(), level=level,
                               parent=parent, path=path)


@transaction.atomic
def area_update(*, area: Area, name: str, name_mn: str = "", parent: Area | None = None) -> Area:
    """Rename an area or move it (with its subtree) under another parent."""
    if parent is not None and (parent.pk == area.pk or parent.path.startswith(area.path)):
        raise ValidationError({"parent": _("不能把区划移到它自己或它的下级之下。")})
    area.name, area.name_mn = name.strip(), name_mn.strip()
    old_path = area.path
    new_path = (parent.path if parent else "/") + area.code + "/"
    area.parent = parent
    area.path = new_path
    area.save()
    if new_path != old_path:
        # Rewrite the subtree's paths in one statement.
        Area.objects.filter(path__startswith=old_path).exclude(pk=area.pk).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1, Length("path")))
        )
    return area
