"""The portal's writes: text-message codes, residents' accounts, authorisations to act for a person (授权代办), and
what a resident may see and do through them."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from canlian.accounts.models import Proxy, Role, User
from canlian.benefits import services as benefit_services
from canlian.benefits.choices import Scheme
from canlian.benefits.models import Application
from canlian.common.ids import id_number_for
from canlian.portal import selectors, services
from canlian.portal.models import ResidentAccount, VerificationCode
from canlian.portal.sms import outbox_last
from canlian.portal.tests.factories import code_sent_to, make_resident
from canlian.registry.tests.factories import PASSWORD, make_certificate, make_id, make_person

SIGN_UP, RESET = VerificationCode.Purpose.SIGN_UP, VerificationCode.Purpose.PASSWORD_RESET


def _messages(error: ValidationError) -> str:
    return " ".join(error.value.messages)


def _age_codes(phone: str, *, minutes: float) -> None:
    """Move every code of a phone back in time, as if sent `minutes` earlier."""
    for code in VerificationCode.objects.filter(phone=phone):
        code.created_at -= timedelta(minutes=minutes)
        code.expires_at -= timedelta(minutes=minutes)
        code.save(update_fields=["created_at", "expires_at"])


def _register(phone: str, *, id_number: str | None = None, name: str = "张三丰", code: str | None = None,
              password: str = PASSWORD) -> User:
    return services.resident_register(id_number=id_number or make_id(), name=name, phone=phone,
                                      code=code if code is not None else code_sent_to(phone), password=password)


@pytest.fixture
def zhang(officer, areas):
    """张三丰 of 北疆社区, with his own phone on file and a grade-1 card."""
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰", phone="13900000001")
    make_certificate(person=person, by=officer, category=4, grade=1)
    return person


@pytest.fixture
def ward(officer, areas):
    """李小明, a child of 北疆社区 whose guardian's phone is on file."""
    return make_person(by=officer, area=areas["beijiang"], name="李小明", birth=date(2012, 3, 4), sequence=22,
                       guardian_name="李强", guardian_relation="父亲", guardian_phone="13900000002")


@pytest.fixture
def wang(officer, areas):
    """王芳 of 东城社区."""
    person = make_person(by=officer, area=areas["dongcheng"], name="王芳", birth=date(1975, 6, 7), sequence=24)
    make_certificate(person=person, by=officer, category=4, grade=1)
    return person


# --- verification codes (短信验证码) ----------------------------------------------------------------------------


def test_a_code_is_six_digits_sent_to_the_phone_and_stored_only_as_a_hash(db):
    services.verification_code_send(phone="139 0000 0009", purpose=SIGN_UP)
    text = outbox_last("13900000009")
    assert re.search(r"验证码是 \d{6}，10 分钟内有效", text)
    code = code_sent_to("13900000009")
    stored = VerificationCode.objects.get(phone="13900000009", purpose=SIGN_UP)
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    assert abs(stored.expires_at - stored.created_at - timedelta(minutes=10)) < timedelta(seconds=5)


def test_a_second_code_within_a_minute_is_refused_with_the_seconds_to_wait(db):
    services.verification_code_send(phone="13900000009", purpose=SIGN_UP)
    with pytest.raises(ValidationError) as refused:
        services.verification_code_send(phone="13900000009", purpose=SIGN_UP)
    seconds = int(re.search(r"请 (\d+) 秒后再重新获取", _messages(refused)).group(1))
    assert 1 <= seconds <= 60
    assert VerificationCode.objects.count() == 1


def test_a_code_for_another_purpose_or_phone_is_not_held_back_by_the_minute(db):
    make_resident(phone="13900000009")
    services.verification_code_send(phone="13900000009", purpose=RESET)
    services.verification_code_send(phone="13900000008", purpose=SIGN_UP)
    assert VerificationCode.objects.filter(purpose=RESET).count() == 1


def test_the_sixth_code_within_an_hour_is_refused(db):
    for _ in range(5):
        services.verification_code_send(phone="13900000009", purpose=SIGN_UP)
        _age_codes("13900000009", minutes=2)  # a minute and more between requests, all within the hour
    with pytest.raises(ValidationError, match="太频繁，请一小时后再试"):
        services.verification_code_send(phone="13900000009", purpose=SIGN_UP)
    _age_codes("13900000009", minutes=60)  # an hour on, the phone may have codes again
    services.verification_code_send(phone="13900000009", purpose=SIGN_UP)


def test_a_wrong_code_counts_a_try_and_says_how_many_are_left(db):
    services.sign_up_start(id_number=make_id(), name="张三丰", phone="13900000009")
    right = code_sent_to("13900000009")
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(ValidationError, match="验证码不正确，还可以再试 4 次"):
        _register("13900000009", code=wrong)
    with pytest.raises(ValidationError, match="还可以再试 3 次"):
        _register("13900000009", code=wrong)
    assert VerificationCode.objects.get().attempts == 2
    assert not ResidentAccount.objects.exists()
    _register("13900000009", code=right)
    assert ResidentAccount.objects.get().phone == "13900000009"


def test_five_wrong_codes_expire_the_code_even_for_the_right_one(db):
    services.sign_up_start(id_number=make_id(), name="张三丰", phone="13900000009")
    right = code_sent_to("13900000009")
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationError, match=f"还可以再试 {left} 次"):
            _register("13900000009", code=wrong)
    with pytest.raises(ValidationError) as fifth:
        _register("13900000009", code=wrong)
    assert _messages(fifth) == "验证码已失效，请重新获取。"
    with pytest.raises(ValidationError, match="验证码已失效"):
        _register("13900000009", code=right)
    assert not User.objects.filter(role=Role.RESIDENT).exists()


def test_a_code_expires_after_ten_minutes(db):
    services.sign_up_start(id_number=make_id(), name="张三丰", phone="13900000009")
    _age_codes("13900000009", minutes=10)
    with pytest.raises(ValidationError, match="验证码已失效"):
        _register("13900000009")
    assert not ResidentAccount.objects.exists()


def test_a_code_just_within_its_ten_minutes_is_accepted(db):
    services.sign_up_start(id_number=make_id(), name="张三丰", phone="13900000009")
    _age_codes("13900000009", minutes=9.5)
    _register("13900000009")
    assert ResidentAccount.objects.filter(phone="13900000009").exists()


def test_a_used_code_cannot_be_used_again(db):
    make_resident(phone="13900000009")
    services.verification_code_send(phone="13900000009", purpose=RESET)
    code = code_sent_to("13900000009")
    services.password_reset(phone="13900000009", code=code, password="New-password-42")
    with pytest.raises(ValidationError, match="验证码已失效"):
        services.password_reset(phone="13900000009", code=code, password="Other-password-42")
    user = User.objects.get(resident_account__phone="13900000009")
    assert user.check_password("New-password-42")


def test_a_reset_code_for_an_unregistered_phone_gets_the_same_answer_and_nothing_is_sent(db):
    assert services.verification_code_send(phone="13900000007", purpose=RESET) is None  # no error, as for a user
    assert outbox_last("13900000007") is None
    # The limits apply as they would to a registered phone, so timing them tells nothing either.
    with pytest.raises(ValidationError, match="秒后再重新获取"):
        services.verification_code_send(phone="13900000007", purpose=RESET)
    with pytest.raises(ValidationError, match="验证码不正确，还可以再试 4 次"):
        services.password_reset(phone="13900000007", code="123456", password="New-password-42")


def test_a_weak_password_on_reset_gives_the_same_answer_for_a_registered_and_an_unregistered_phone(db):
    """Step 2 of 找回密码 must not tell a stranger which phones have accounts either."""
    make_resident(phone="13900000009")
    answers = []
    for phone in ("13900000009", "13900000007"):
        services.verification_code_send(phone=phone, purpose=RESET)
        with pytest.raises(ValidationError) as refused:
            services.password_reset(phone=phone, code="123456", password="abc")
        answers.append(sorted(refused.value.message_dict))
    assert answers[0] == answers[1] == ["password"]


def test_a_sign_up_code_is_not_sent_to_a_registered_phone(db):
    make_resident(phone="13900000009")
    with pytest.raises(ValidationError, match="这个手机号已注册"):
        services.verification_code_send(phone="13900000009", purpose=SIGN_UP)


def test_a_phone_that_is_not_a_mobile_number_is_refused(db):
    for raw in ("12345678901", "0479-7512345", "1390000000"):
        with pytest.raises(ValidationError, match="请输入11位手机号码"):
            services.verification_code_send(phone=raw, purpose=SIGN_UP)
    services.verification_code_send(phone="+86 139-0000-0009", purpose=SIGN_UP)
    assert VerificationCode.objects.get().phone == "13900000009"


# --- registration (注册) ----------------------------------------------------------------------------------------


def test_an_id_number_with_a_wrong_check_character_is_refused(db):
    good = make_id()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError, match="身份证号校验位错误") as refused:
        services.sign_up_start(id_number=bad, name="张三丰", phone="13900000009")
    assert list(refused.value.message_dict) == ["id_number"]
    assert outbox_last("13900000009") is None


def test_a_fifteen_digit_id_number_is_accepted_as_its_eighteen_digit_form(db):
    eighteen = make_id()
    details = services.sign_up_start(id_number=eighteen[:6] + eighteen[8:17], name="张三丰", phone="13900000009")
    assert details["id_number"] == eighteen
    user = services.resident_register(**details, code=code_sent_to("13900000009"), password=PASSWORD)
    assert user.username == user.resident_account.id_number == eighteen


def test_full_width_digits_and_a_lower_case_x_are_accepted(db):
    with_x = next(number for number in (id_number_for("152501", date(1980, 1, 1), s) for s in range(1, 999))
                  if number.endswith("X"))
    typed = "".join(chr(ord(c) + 0xFEE0) for c in with_x[:17]) + "x"  # １５２５０１…x
    details = services.sign_up_start(id_number=typed, name="张三丰", phone="13900000009")
    assert details["id_number"] == with_x
    _register("13900000009", id_number=typed)
    assert ResidentAccount.objects.get().id_number == with_x


def test_an_id_number_already_registered_is_refused_in_chinese(db):
    make_resident(id_number=make_id(), phone="13900000009")
    with pytest.raises(ValidationError, match="这个身份证号已注册。请直接登录") as refused:
        services.sign_up_start(id_number=make_id(), name="张三丰", phone="13900000008")
    assert list(refused.value.message_dict) == ["id_number"]
    assert outbox_last("13900000008") is None


def test_a_phone_already_registered_is_refused_in_chinese(db):
    make_resident(id_number=make_id(sequence=11), phone="13900000009")
    with pytest.raises(ValidationError, match="这个手机号已注册") as refused:
        services.sign_up_start(id_number=make_id(sequence=13), name="李四", phone="13900000009")
    assert list(refused.value.message_dict) == ["phone"]
    assert ResidentAccount.objects.count() == 1


def test_a_phone_registered_between_the_two_steps_is_refused_with_a_message(db):
    """Two people start with one phone; the second to finish is told, not shown an error page."""
    first = services.sign_up_start(id_number=make_id(sequence=11), name="张三丰", phone="13900000009")
    first_code = code_sent_to("13900000009")
    _age_codes("13900000009", minutes=2)
    second = services.sign_up_start(id_number=make_id(sequence=13), name="李四", phone="13900000009")
    services.resident_register(**second, code=code_sent_to("13900000009"), password=PASSWORD)
    with pytest.raises(ValidationError):
        services.resident_register(**first, code=first_code, password=PASSWORD)
    assert ResidentAccount.objects.count() == 1


@pytest.mark.parametrize("password", ["abc123", "12345678901", "password123", "the ID number"])
def test_a_weak_password_is_refused_and_no_account_is_opened(db, password):
    details = services.sign_up_start(id_number=make_id(), name="张三丰", phone="13900000009")
    code = code_sent_to("13900000009")
    if password == "the ID number":
        password = f"{details['id_number']}"
    with pytest.raises(ValidationError) as refused:
        services.resident_register(**details, code=code, password=password)
    assert list(refused.value.message_dict) == ["password"]
    assert not User.objects.filter(role=Role.RESIDENT).exists()
    # The code was not spent on the refused attempt: the resident can try again with a better password.
    services.resident_register(**details, code=code, password=PASSWORD)


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "张三\"><img src=x>", "'; DROP TABLE--"])
def test_a_name_with_markup_or_symbols_is_refused(db, name):
    with pytest.raises(ValidationError, match="姓名只能包含汉字、蒙古文、字母、空格和间隔号") as refused:
        services.sign_up_start(id_number=make_id(), name=name, phone="13900000009")
    assert list(refused.value.message_dict) == ["name"]
    assert not VerificationCode.objects.exists()


def test_names_with_the_middle_dot_and_full_width_letters_are_accepted(db):
    assert services.name_normalized(" 阿依古丽·买买提 ") == "阿依古丽·买买提"
    assert services.name_normalized("ＴＡＮＧ  Ｗｅｉ") == "TANG Wei"


def test_the_residents_own_file_is_linked_and_confirmed_when_its_phone_is_the_phone(zhang):
    user = make_resident(id_number=zhang.id_number, name="张三丰", phone="13900000001")
    proxy = Proxy.objects.get(resident=user)
    assert (proxy.person, proxy.relation, proxy.state) == (zhang, Proxy.Relation.SELF, Proxy.State.CONFIRMED)
    assert proxy.decided_at is not None and proxy.decided_by is None
    assert list(selectors.persons_acted_for(user)) == [zhang]


def test_the_residents_own_file_waits_for_an_officer_when_the_phone_differs(zhang):
    user = make_resident(id_number=zhang.id_number, name="张三丰", phone="13900000005")
    proxy = Proxy.objects.get(resident=user)
    assert (proxy.person, proxy.relation, proxy.state) == (zhang, Proxy.Relation.SELF, Proxy.State.PENDING)
    assert not selectors.persons_acted_for(user).exists()


def test_the_file_is_not_linked_when_the_name_differs(zhang):
    user = make_resident(id_number=zhang.id_number, name="张三", phone="13900000001")
    assert not Proxy.objects.filter(resident=user).exists()
    assert not selectors.persons_acted_for(user).exists()


def test_a_resident_account_covers_no_area_and_does_no_staff_work(db):
    user = make_resident(phone="13900000009")
    assert user.is_resident and not user.is_staff and not user.areas.exists()
    assert not (user.works_with_persons or user.handles_payroll or user.handles_levy or user.is_platform_admin)
    assert user.display_name == user.resident_account.name == "张三丰"


# --- authorisations (授权代办) ------------------------------------------------------------------------------------


@pytest.fixture
def guardian(db):
    """李强, registered with the phone that 李小明's file names for his guardian."""
    return make_resident(id_number=make_id(birth=date(1982, 8, 8), sequence=31), name="李强", phone="13900000002")


@pytest.fixture
def neighbour(db):
    return make_resident(id_number=make_id(birth=date(1990, 2, 2), sequence=35), name="赵六", phone="13900000006")


def test_a_guardian_whose_phone_is_on_the_wards_file_is_confirmed_at_once(guardian, ward):
    proxy = services.proxy_declare(resident=guardian, id_number=ward.id_number, name="李小明",
                                   relation=Proxy.Relation.PARENT)
    assert proxy.state == Proxy.State.CONFIRMED and "自动确认" in proxy.note
    assert list(selectors.persons_acted_for(guardian)) == [ward]


def test_a_relative_whose_phone_is_not_on_file_waits_for_an_officer(neighbour, ward):
    proxy = services.proxy_declare(resident=neighbour, id_number=ward.id_number, name="李小明",
                                   relation=Proxy.Relation.RELATIVE)
    assert (proxy.state, proxy.decided_at) == (Proxy.State.PENDING, None)
    assert not selectors.persons_acted_for(neighbour).exists()


def test_the_id_number_may_be_typed_as_officials_type_it(guardian, ward):
    typed = " ".join([ward.id_number[:6], ward.id_number[6:14], ward.id_number[14:].lower()])
    proxy = services.proxy_declare(resident=guardian, id_number=typed, name=" 李小明 ", relation=Proxy.Relation.PARENT)
    assert proxy.person == ward


def test_an_unknown_person_and_a_wrong_name_get_the_same_answer(neighbour, ward):
    answers = []
    for id_number, name in ((make_id(birth=date(1999, 9, 9), sequence=41), "李小明"), (ward.id_number, "李大明")):
        with pytest.raises(ValidationError) as refused:
            services.proxy_declare(resident=neighbour, id_number=id_number, name=name, relation=Proxy.Relation.PARENT)
        answers.append(refused.value.message_dict)
    assert answers[0] == answers[1]
    assert "没有找到与这个身份证号和姓名相符的残疾人档案" in answers[0]["id_number"][0]
    assert not Proxy.objects.exists()


def test_self_with_another_persons_id_number_is_refused(neighbour, ward):
    with pytest.raises(ValidationError, match="为本人办理请选择“本人”"):
        services.proxy_declare(resident=neighbour, id_number=ward.id_number, name="李小明", relation=Proxy.Relation.SELF)
    assert not Proxy.objects.exists()


def test_ones_own_id_number_with_a_family_relation_is_refused(zhang):
    user = make_resident(id_number=zhang.id_number, name="张三", phone="13900000009")  # not linked: name differs
    with pytest.raises(ValidationError, match="为本人办理请选择“本人”"):
        services.proxy_declare(resident=user, id_number=zhang.id_number, name="张三丰", relation=Proxy.Relation.CHILD)


def test_an_unknown_relation_is_refused(neighbour, ward):
    with pytest.raises(ValidationError, match="请选择您与残疾人的关系"):
        services.proxy_declare(resident=neighbour, id_number=ward.id_number, name="李小明", relation="boss")


def test_a_second_declaration_for_the_same_person_is_refused(neighbour, ward):
    services.proxy_declare(resident=neighbour, id_number=ward.id_number, name="李小明", relation=Proxy.Relation.RELATIVE)
    with pytest.raises(ValidationError, match="您已申请过为 李小明 办理（待工作人员确认）"):
        services.proxy_declare(resident=neighbour, id_number=ward.id_number, name="李小明",
                               relation=Proxy.Relation.GUARDIAN)
    assert Proxy.objects.count() == 1


def test_after_a_refusal_the_resident_may_ask_again(neighbour, ward, beijiang_officer):
    proxy = services.proxy_declare(resident=neighbour, id_number=ward.id_number, name="李小明",
                                   relation=Proxy.Relation.RELATIVE)
    services.proxy_decide(proxy=proxy, by=beijiang_officer, confirm=False, note="无法核实关系")
    again = services.proxy_declare(resident=neighbour, id_number=ward.id_number, name="李小明",
                                   relation=Proxy.Relation.GUARDIAN)
    assert again.state == Proxy.State.PENDING


def test_an_officer_of_the_persons_area_confirms(neighbour, ward, beijiang_officer):
    proxy = services.proxy_declare(resident=neighbour, id_number=ward.id_number, name="李小明",
                                   relation=Proxy.Relation.RELATIVE)
    decided = services.proxy_decide(proxy=proxy, by=beijiang_officer, confirm=True, note="户口簿已核")
    assert (decided.state, decided.decided_by, decided.note) == (Proxy.State.CONFIRMED, beijiang_officer, "户口簿已核")
    assert list(selectors.persons_acted_for(neighbour)) == [ward]


@pytest.mark.parametrize("who", ["dongcheng_officer", "leader", "admin_user"])
def test_staff_who_do_not_cover_the_person_cannot_decide(request, neighbour, ward, who):
    proxy = services.proxy_declare(resident=neighbour, id_number=ward.id_number, name="李小明",
                                   relation=Proxy.Relation.RELATIVE)
    with pytest.raises(PermissionDenied):
        services.proxy_decide(proxy=proxy, by=request.getfixturevalue(who), confirm=True)
    proxy.refresh_from_db()
    assert proxy.state == Proxy.State.PENDING


def test_a_resident_cannot_decide_even_for_a_person_they_act_for(guardian, neighbour, ward):
    services.proxy_declare(resident=guardian, id_number=ward.id_number, name="李小明", relation=Proxy.Relation.PARENT)
    proxy = services.proxy_declare(resident=neighbour, id_number=ward.id_number, name="李小明",
                                   relation=Proxy.Relation.RELATIVE)
    with pytest.raises(PermissionDenied):
        services.proxy_decide(proxy=proxy, by=guardian, confirm=True)


def test_a_refusal_needs_the_note_the_resident_will_read(neighbour, ward, beijiang_officer):
    proxy = services.proxy_declare(resident=neighbour, id_number=ward.id_number, name="李小明",
                                   relation=Proxy.Relation.RELATIVE)
    for note in ("", "   "):
        with pytest.raises(ValidationError, match="不予确认时请写明原因"):
            services.proxy_decide(proxy=proxy, by=beijiang_officer, confirm=False, note=note)
    proxy.refresh_from_db()
    assert proxy.state == Proxy.State.PENDING
    services.proxy_decide(proxy=proxy, by=beijiang_officer, confirm=False, note="  请带户口簿\n到社区  ")
    proxy.refresh_from_db()
    assert (proxy.state, proxy.note) == (Proxy.State.REFUSED, "请带户口簿 到社区")


def test_an_authorisation_cannot_be_decided_twice(neighbour, ward, beijiang_officer, officer):
    proxy = services.proxy_declare(resident=neighbour, id_number=ward.id_number, name="李小明",
                                   relation=Proxy.Relation.RELATIVE)
    services.proxy_decide(proxy=proxy, by=beijiang_officer, confirm=True)
    with pytest.raises(ValidationError, match="这项授权已处理（已确认）"):
        services.proxy_decide(proxy=proxy, by=officer, confirm=False, note="弄错了")
    proxy.refresh_from_db()
    assert (proxy.state, proxy.decided_by) == (Proxy.State.CONFIRMED, beijiang_officer)


def test_only_the_resident_who_asked_can_revoke(guardian, neighbour, ward):
    proxy = services.proxy_declare(resident=guardian, id_number=ward.id_number, name="李小明",
                                   relation=Proxy.Relation.PARENT)
    with pytest.raises(PermissionDenied):
        services.proxy_revoke(proxy=proxy, by=neighbour)
    proxy.refresh_from_db()
    assert proxy.state == Proxy.State.CONFIRMED
    services.proxy_revoke(proxy=proxy, by=guardian)
    proxy.refresh_from_db()
    assert proxy.state == Proxy.State.REVOKED
    with pytest.raises(ValidationError, match="这项授权已结束"):
        services.proxy_revoke(proxy=proxy, by=guardian)


# --- what a resident sees and does (数据权限) -----------------------------------------------------------------------


def test_a_resident_sees_only_the_persons_of_confirmed_authorisations(guardian, ward, zhang, wang):
    services.proxy_declare(resident=guardian, id_number=ward.id_number, name="李小明", relation=Proxy.Relation.PARENT)
    assert list(selectors.persons_acted_for(guardian)) == [ward]
    for other in (zhang, wang):
        with pytest.raises(Http404):
            selectors.person_acted_for(user=guardian, pk=other.pk)


@pytest.mark.parametrize("ending", ["pending", "refused", "revoked"])
def test_a_pending_refused_or_revoked_authorisation_gives_nothing(neighbour, ward, beijiang_officer, ending):
    proxy = services.proxy_declare(resident=neighbour, id_number=ward.id_number, name="李小明",
                                   relation=Proxy.Relation.RELATIVE)
    if ending == "refused":
        services.proxy_decide(proxy=proxy, by=beijiang_officer, confirm=False, note="无法核实")
    if ending == "revoked":
        services.proxy_decide(proxy=proxy, by=beijiang_officer, confirm=True)
        assert selectors.persons_acted_for(neighbour).exists()
        services.proxy_revoke(proxy=proxy, by=neighbour)
    assert not selectors.persons_acted_for(neighbour).exists()
    assert not selectors.applications_of(neighbour).exists()
    with pytest.raises(ValidationError, match="不在您负责的区域"):
        benefit_services.application_submit(person=ward, scheme=Scheme.NURSING_ALLOWANCE, by=neighbour)


def test_an_inactive_resident_acts_for_nobody(zhang):
    user = make_resident(id_number=zhang.id_number, phone="13900000001")
    user.is_active = False
    user.save()
    assert not selectors.persons_acted_for(user).exists()


def test_a_resident_applies_for_a_confirmed_person_and_not_for_another(zhang, wang, beijiang_officer):
    user = make_resident(id_number=zhang.id_number, phone="13900000001")
    application = benefit_services.application_submit(person=zhang, scheme=Scheme.NURSING_ALLOWANCE, by=user,
                                                      note="网上申请")
    assert (application.person, application.submitted_by, application.state) == (
        zhang, user, Application.State.SUBMITTED)
    assert list(selectors.applications_of(user)) == [application]
    with pytest.raises(ValidationError, match="不在您负责的区域"):
        benefit_services.application_submit(person=wang, scheme=Scheme.NURSING_ALLOWANCE, by=user)
    assert Application.objects.count() == 1


def test_a_resident_sees_applications_made_at_the_counter_too(zhang, beijiang_officer):
    counter = benefit_services.application_submit(person=zhang, scheme=Scheme.NURSING_ALLOWANCE, by=beijiang_officer)
    user = make_resident(id_number=zhang.id_number, phone="13900000001")
    assert list(selectors.applications_of(user)) == [counter]


def test_a_resident_withdraws_an_open_application_and_not_anothers(zhang, wang, beijiang_officer, dongcheng_officer):
    user = make_resident(id_number=zhang.id_number, phone="13900000001")
    own = benefit_services.application_submit(person=zhang, scheme=Scheme.NURSING_ALLOWANCE, by=user)
    other = benefit_services.application_submit(person=wang, scheme=Scheme.NURSING_ALLOWANCE, by=dongcheng_officer)
    with pytest.raises(ValidationError, match="不在您负责的区域"):
        benefit_services.application_withdraw(application=other, by=user, reason="不需要了")
    benefit_services.application_withdraw(application=own, by=user, reason="不需要了")
    own.refresh_from_db()
    assert own.state == Application.State.WITHDRAWN


def test_the_reference_number_is_the_day_and_the_application_number(zhang):
    user = make_resident(id_number=zhang.id_number, phone="13900000001")
    application = benefit_services.application_submit(person=zhang, scheme=Scheme.NURSING_ALLOWANCE, by=user,
                                                      on=date(2026, 3, 5))
    assert selectors.reference_number(application) == f"SQ20260305{application.pk:06d}"
    assert re.fullmatch(r"SQ\d{8}\d{6,}", selectors.reference_number(application))


def test_the_timeline_names_the_steps_by_role_never_by_name(zhang, beijiang_officer, officer):
    user = make_resident(id_number=zhang.id_number, phone="13900000001")
    application = benefit_services.application_submit(person=zhang, scheme=Scheme.NURSING_ALLOWANCE, by=user)
    benefit_services.application_review(application=application, by=beijiang_officer, note="材料齐全")
    entitlement = benefit_services.application_approve(application=application, by=officer)
    steps = selectors.application_timeline(application, resident=user)
    assert [(s.title, s.by) for s in steps] == [
        ("已提交，待社区审核", "您"), ("社区已审核，待残联审批", "社区专职委员"), ("已批准", "残联工作人员"),
        ("开始发放", "残联")]
    assert steps[1].detail == "社区审核通过：材料齐全"
    assert steps[-1].detail == f"从 {entitlement.starts_on:%Y-%m} 起按月发放。"
    assert all("beijiang" not in s.by and "officer" not in s.by for s in steps)
    found = selectors.messages_for(user)
    assert [m.step.title for m in found][-1] == "社区已审核，待残联审批"  # officers' steps only, newest first
    assert all(m.step.by != "您" for m in found)
    assert {m.url for m in found} == {f"/portal/me/applications/{application.pk}/"}
    assert selectors.messages_for(user, since=timezone.now()) == []


def test_the_certificate_check_needs_the_holders_name_and_tells_the_state_on_the_day(zhang):
    card = zhang.certificates.get()
    found = selectors.certificate_verification(card.number.lower(), name="张三丰", on=date(2021, 1, 1))
    assert (found.found, found.masked_name, found.status) == (True, "张*丰", "valid")
    later = selectors.certificate_verification(card.number, name=" 张三丰 ", on=card.valid_until + timedelta(days=1))
    assert later.status == "expired"
    # Without the right name the card is "not found": an ID number alone does not tell who is disabled.
    assert not selectors.certificate_verification(card.number, name="李四").found
    assert not selectors.certificate_verification(make_id(sequence=99) + "42", name="张三丰").found
    with pytest.raises(ValueError, match="残疾人证号应为20位"):
        selectors.certificate_verification("12345", name="张三丰")


@pytest.mark.parametrize(("name", "masked"), [("张", "张"), ("李四", "李*"), ("张三丰", "张*丰"),
                                               ("阿依古丽", "阿**丽")])
def test_names_are_masked_keeping_the_first_and_last_character(name, masked):
    assert selectors.masked_name(name) == masked


def test_residents_sign_in_with_the_phone_or_the_id_number_in_any_form(db):
    user = make_resident(phone="13900000009")
    id_number = user.username
    assert selectors.login_name("139 0000 0009") == id_number
    assert selectors.login_name("+8613900000009") == id_number
    assert selectors.login_name("".join(chr(ord(c) + 0xFEE0) for c in id_number)) == id_number
    assert selectors.login_name(id_number[:6] + id_number[8:17]) == id_number  # the old 15-digit number


def test_staff_user_names_reach_the_login_unchanged(db):
    """A staff name is not an ID number or a phone: it is passed on as typed (so the staff message can show)."""
    assert selectors.login_name("officer") == "officer"
    assert selectors.login_name("wang_li") == "wang_li"
