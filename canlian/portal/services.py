"""Writes of the portal (网上办事): verification codes, accounts, password resets and authorisations (授权代办).

Applications are not written here: the portal calls the benefits and services writes the officers' pages call, as
the resident, so an application made online is the same application on the same worklist (no second workflow).
"""

import re
import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from canlian.accounts.models import Proxy, Role, User
from canlian.accounts.scope import residence_in_scope
from canlian.common.ids import clean_number
from canlian.portal.models import ResidentAccount, VerificationCode
from canlian.portal.sms import sms_send
from canlian.registry.models import Person
from canlian.registry.services import clean_id_number, clean_person_name

CODE_MINUTES, CODE_TRIES = 10, 5  # a code lives ten minutes and allows five tries
CODE_GAP_SECONDS, CODES_PER_HOUR = 60, 5  # per phone and purpose: no SMS bombing, no guessing by resending
CODES_PER_ADDRESS_HOUR = 20  # per client address, whatever the phones: no sending texts to a list of numbers
_PHONE = re.compile(r"^1[3-9]\d{9}$")


def phone_normalized(raw: str, *, field: str = "phone") -> str:
    phone = clean_number(raw).removeprefix("+86")
    if not _PHONE.match(phone):
        raise ValidationError({field: _("请输入11位手机号码，例如 13812345678。")})
    return phone


def name_normalized(raw: str, *, field: str = "name") -> str:
    return clean_person_name(raw, field=field)  # the registry's own rule, so names compare equal to the file's


def _digest(phone: str, purpose: str, code: str) -> str:
    return salted_hmac("canlian.portal.code", f"{phone}:{purpose}:{code}", algorithm="sha256").hexdigest()


def verification_code_send(*, phone: str, purpose: str, address: str | None = None) -> None:
    """Send a six-digit code by SMS; at most one a minute and five an hour per phone and purpose.

    A reset code goes only to a registered phone, but the answer is the same either way, so the page does not
    tell a stranger which phones have accounts."""
    phone = phone_normalized(phone)
    registered = ResidentAccount.objects.filter(phone=phone).exists()
    if purpose == VerificationCode.Purpose.SIGN_UP and registered:  # said first: no code is sent, none to wait for
        raise ValidationError({"phone": _("这个手机号已注册。请直接登录；忘记密码可以找回。")})
    now = timezone.now()
    recent = VerificationCode.objects.filter(phone=phone, purpose=purpose, created_at__gt=now - timedelta(hours=1))
    last = recent.order_by("-created_at").first()
    if last is not None and (now - last.created_at).total_seconds() < CODE_GAP_SECONDS:
        wait = CODE_GAP_SECONDS - int((now - last.created_at).total_seconds())
        raise ValidationError({"phone": _("验证码已发送，请 %(s)d 秒后再重新获取。") % {"s": max(wait, 1)}})
    if recent.count() >= CODES_PER_HOUR:
        raise ValidationError({"phone": _("这个手机号获取验证码太频繁，请一小时后再试，或拨打 12385 求助。")})
    if address and VerificationCode.objects.filter(requested_from=address,
                                                   created_at__gt=now - timedelta(hours=1)).count() >= CODES_PER_ADDRESS_HOUR:
        raise ValidationError({"phone": _("这台设备获取验证码太频繁，请一小时后再试，或拨打 12385 求助。")})
    code = f"{secrets.randbelow(10**6):06d}"
    VerificationCode.objects.create(phone=phone, purpose=purpose, code_hash=_digest(phone, purpose, code),
                                    expires_at=now + timedelta(minutes=CODE_MINUTES), requested_from=address)
    if purpose == VerificationCode.Purpose.PASSWORD_RESET and not registered:
        return
    sms_send(phone, _("【残联网上办事】您的验证码是 %(code)s，%(m)d 分钟内有效。请勿告诉他人，工作人员不会向您索要验证码。")
             % {"code": code, "m": CODE_MINUTES})


def _code_accepted(*, phone: str, purpose: str, code: str) -> VerificationCode:
    """The live code this is, marked used; a wrong try is counted (and kept, whatever the caller does next)."""
    code = clean_number(code)
    with transaction.atomic():
        current = (VerificationCode.objects.select_for_update()
                   .filter(phone=phone, purpose=purpose, used_at__isnull=True, expires_at__gt=timezone.now())
                   .order_by("-created_at").first())
        if current is None or current.attempts >= CODE_TRIES:
            raise ValidationError({"code": _("验证码已失效，请重新获取。")})
        if not constant_time_compare(current.code_hash, _digest(phone, purpose, code)):
            current.attempts += 1
            current.save(update_fields=["attempts"])
            left = CODE_TRIES - current.attempts
            error = _("验证码不正确，还可以再试 %(n)d 次。") % {"n": left} if left else _("验证码已失效，请重新获取。")
            wrong = ValidationError({"code": error})
        else:
            current.used_at = timezone.now()
            current.save(update_fields=["used_at"])
            return current
    raise wrong  # outside the block, so the count of wrong tries is committed


def _password(password: str, user: User | None = None) -> str:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    return password


def sign_up_start(*, id_number: str, name: str, phone: str, address: str | None = None) -> dict:
    """注册 step 1: check who is signing up and send the code; returns the details the second step needs."""
    details = {"id_number": clean_id_number(id_number), "name": name_normalized(name),
               "phone": phone_normalized(phone)}
    if _id_number_taken(details["id_number"]):
        raise ValidationError({"id_number": _("这个身份证号已注册。请直接登录；忘记密码可以用注册时的手机号找回。")})
    verification_code_send(phone=details["phone"], purpose=VerificationCode.Purpose.SIGN_UP, address=address)
    return details


def _id_number_taken(id_number: str) -> bool:
    return ResidentAccount.objects.filter(id_number=id_number).exists() or User.objects.filter(username=id_number).exists()


def resident_register(*, id_number: str, name: str, phone: str, code: str, password: str) -> User:
    """Open a resident's account (注册) after the phone's code; link the resident's own file when the registry
    holds one under the same ID number and name (confirmed at once when its phone is this phone)."""
    id_number, name, phone = clean_id_number(id_number), name_normalized(name), phone_normalized(phone)
    if _id_number_taken(id_number):
        raise ValidationError({"id_number": _("这个身份证号已注册。请直接登录；忘记密码可以用注册时的手机号找回。")})
    _password(password, User(username=id_number, display_name=name))
    _code_accepted(phone=phone, purpose=VerificationCode.Purpose.SIGN_UP, code=code)
    try:
        with transaction.atomic():
            user = User(username=id_number, display_name=name, role=Role.RESIDENT)
            user.set_password(password)
            user.save()
            ResidentAccount.objects.create(user=user, id_number=id_number, name=name, phone=phone,
                                           phone_verified_at=timezone.now())
            own = Person.objects.filter(id_number=id_number, name=name).first()
            if own is not None:
                _proxy_open(resident=user, person=own, relation=Proxy.Relation.SELF, phone=phone)
    except IntegrityError:  # a second click, or someone else at the same moment
        raise ValidationError({"id_number": _("这个身份证号或手机号刚刚已注册，请直接登录。")}) from None
    return user


def password_reset(*, phone: str, code: str, password: str) -> User:
    """Set a new password (找回密码) after a code sent to the account's phone."""
    phone = phone_normalized(phone)
    account = ResidentAccount.objects.select_related("user").filter(phone=phone).first()
    # Checked for any phone, so a weak password gets the same answer whether or not the phone has an account.
    _password(password, account.user if account is not None else None)
    _code_accepted(phone=phone, purpose=VerificationCode.Purpose.PASSWORD_RESET, code=code)
    if account is None:  # no code was sent to an unregistered phone, so this is not reached with a right code
        raise ValidationError({"code": _("验证码已失效，请重新获取。")})
    account.user.set_password(password)
    account.user.save(update_fields=["password"])
    return account.user


def _confirms_itself(person: Person, relation: str, phone: str) -> bool:
    """The file already names this phone: the person's own for 本人, the guardian's for a ward."""
    on_file = person.phone if relation == Proxy.Relation.SELF else person.guardian_phone
    return bool(on_file) and clean_number(on_file) == phone


def _proxy_open(*, resident: User, person: Person, relation: str, phone: str) -> Proxy:
    confirmed = _confirms_itself(person, relation, phone)
    return Proxy.objects.create(
        resident=resident, person=person, relation=relation,
        state=Proxy.State.CONFIRMED if confirmed else Proxy.State.PENDING, decided_at=timezone.now() if confirmed else None,
        note=_("手机号与档案登记的一致，自动确认") if confirmed else "")


def proxy_declare(*, resident: User, id_number: str, name: str, relation: str) -> Proxy:
    """Ask to act for a registered person (授权代办): yourself, or someone in your care."""
    account = ResidentAccount.objects.get(user=resident)
    if relation not in Proxy.Relation.values:
        raise ValidationError({"relation": _("请选择您与残疾人的关系。")})
    id_number, name = clean_id_number(id_number), name_normalized(name)
    if (relation == Proxy.Relation.SELF) != (id_number == account.id_number):
        raise ValidationError({"relation": _("为本人办理请选择“本人”；为他人代办请填写他人的身份证号。")})
    person = Person.objects.filter(id_number=id_number, name=name).first()
    if person is None:
        raise ValidationError({"id_number": _(
            "没有找到与这个身份证号和姓名相符的残疾人档案。请核对；尚未办理残疾人证的，请先申请残疾评定。")})
    live = Proxy.objects.filter(resident=resident, person=person,
                                state__in=[Proxy.State.PENDING, Proxy.State.CONFIRMED]).first()
    if live is not None:
        raise ValidationError({"id_number": _("您已申请过为 %(name)s 办理（%(state)s）。") % {
            "name": person.name, "state": live.get_state_display()}})
    try:
        with transaction.atomic():
            return _proxy_open(resident=resident, person=person, relation=relation, phone=account.phone)
    except IntegrityError:
        raise ValidationError({"id_number": _("您已申请过为 %(name)s 办理。") % {"name": person.name}}) from None


@transaction.atomic
def proxy_decide(*, proxy: Proxy, by: User, confirm: bool, note: str = "") -> Proxy:
    """An officer of the person's area confirms or refuses an authorisation, having checked the relationship
    (户口簿、监护证明) at the counter or by phone."""
    proxy = Proxy.objects.select_for_update().select_related("person").get(pk=proxy.pk)
    if not by.works_with_persons or not Person.objects.filter(residence_in_scope(by), pk=proxy.person_id).exists():
        raise PermissionDenied
    if proxy.state != Proxy.State.PENDING:
        raise ValidationError(_("这项授权已处理（%(s)s）。") % {"s": proxy.get_state_display()})
    note = " ".join((note or "").split())[:200]
    if not confirm and not note:
        raise ValidationError({"note": _("不予确认时请写明原因，居民会看到这个原因。")})
    proxy.state = Proxy.State.CONFIRMED if confirm else Proxy.State.REFUSED
    proxy.decided_by, proxy.decided_at, proxy.note = by, timezone.now(), note
    proxy.save()
    return proxy


@transaction.atomic
def proxy_revoke(*, proxy: Proxy, by: User) -> Proxy:
    """The resident ends an authorisation (解除代办); the history of what was done under it stays."""
    proxy = Proxy.objects.select_for_update().get(pk=proxy.pk)
    if proxy.resident_id != by.pk:
        raise PermissionDenied
    if proxy.state not in (Proxy.State.PENDING, Proxy.State.CONFIRMED):
        raise ValidationError(_("这项授权已结束。"))
    proxy.state, proxy.decided_at = Proxy.State.REVOKED, timezone.now()
    proxy.save(update_fields=["state", "decided_at"])
    return proxy
