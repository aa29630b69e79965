"""Department API tokens (部门接口令牌): create, rotate, revoke, recognise, and the call log they leave.

A token reads `cl_<prefix>_<secret>`. The prefix finds the row; only a SHA-256 of the whole token is kept, so
the raw token is shown once when made and can never be shown again.
"""

import hashlib
import hmac
import ipaddress
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canlian.accounts.scope import scoped_areas
from canlian.exchange.models import ApiCall, DepartmentToken

_PREFIX = "cl"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_raw(prefix: str) -> str:
    return f"{_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


def department_token_check(*, department: str, scopes: list[str], areas, acting_user) -> None:
    """Raise ValidationError (by field) if a token with these settings may not be made; the admin form asks too."""
    areas = list(areas)
    errors: dict[str, list[str]] = {}
    if not department.strip():
        errors["department"] = [_("请填写部门名称，例如“二连浩特市民政局”。")]
    unknown = set(scopes) - set(DepartmentToken.Scope.values)
    if not scopes or unknown:
        errors["scopes"] = [_("请至少选择一项权限范围。") if not scopes else _("权限范围无法识别：%(s)s。")
                            % {"s": "、".join(sorted(unknown))}]
    if not areas:
        errors["areas"] = [_("请至少选择一个数据区域。")]
    elif acting_user is not None:
        # Imports through the token are recorded as this user's work, so the user must cover every area.
        covered = set(scoped_areas(acting_user).filter(pk__in=[a.pk for a in areas]).values_list("pk", flat=True))
        outside = [area.name for area in areas if area.pk not in covered]
        if outside:
            errors["areas"] = [_("“%(user)s”不负责这些区域：%(areas)s。请另选操作人或缩小数据区域。")
                               % {"user": acting_user, "areas": "、".join(outside)}]
    if acting_user is None:
        errors["acting_user"] = [_("请选择记录为操作人的账号。")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def department_token_create(*, department: str, scopes: list[str], areas, acting_user) -> tuple[DepartmentToken, str]:
    """Make a token for a department; return it with the raw token, which is shown once and never stored."""
    areas = list(areas)
    department_token_check(department=department, scopes=scopes, areas=areas, acting_user=acting_user)
    prefix = secrets.token_hex(4)
    raw = _new_raw(prefix)
    token = DepartmentToken.objects.create(department=" ".join(department.split()), prefix=prefix,
                                           secret_hash=_digest(raw), scopes=sorted(set(scopes)),
                                           acting_user=acting_user)
    token.areas.set(areas)
    return token, raw


@transaction.atomic
def department_token_rotate(*, token: DepartmentToken) -> str:
    """Give a token a new secret (更换令牌): the old one stops working at once; return the new raw token."""
    token = DepartmentToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("令牌“%(t)s”已吊销，不能更换；请新建令牌。") % {"t": token})
    raw = _new_raw(token.prefix)
    token.secret_hash, token.rotated_at = _digest(raw), timezone.now()
    token.save(update_fields=["secret_hash", "rotated_at"])
    return raw


@transaction.atomic
def department_token_revoke(*, token: DepartmentToken) -> DepartmentToken:
    """Revoke a token (吊销) for good; its calls and batches stay on record."""
    token = DepartmentToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("令牌“%(t)s”已于 %(at)s 吊销。")
                              % {"t": token, "at": timezone.localtime(token.revoked_at).strftime("%Y-%m-%d %H:%M")})
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def department_token_for(raw: str) -> DepartmentToken | None:
    """The live token a caller presented, or None for an unknown, malformed, rotated-away or revoked one."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != _PREFIX:
        return None
    token = DepartmentToken.objects.filter(prefix=parts[1], revoked_at__isnull=True).first()
    # Constant-time comparison: the answer's timing must not reveal how much of a guess was right.
    if token is None or not hmac.compare_digest(token.secret_hash, _digest(raw)):
        return None
    return token


def _ip(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(address or ""))
    except ValueError:
        return None


def api_call_record(*, token: DepartmentToken | None, method: str, path: str, status: int,
                    ip_address: str | None) -> ApiCall:
    """Log one API call (who, what, the answer) and mark the token as used."""
    call = ApiCall.objects.create(token=token, method=method[:8], path=path.replace("\x00", "")[:200],
                                  status=status, ip_address=_ip(ip_address))
    if token is not None:
        DepartmentToken.objects.filter(pk=token.pk).update(last_used_at=call.at)
    return call
