"""Two demo residents for the portal (网上办事), with the demo password:

- a person with a card and a nursing allowance being paid, whose phone on file is the account's phone, so their
  own file was linked at once (they sign in with that phone) and who has asked online for an assistive device;
- a mother acting for her severely disabled son (授权代办) — confirmed by the community officer — whose online
  application for the nursing allowance waits on the officers' worklist, with a request to add a document.

Synthetic and deterministic; the mother is not on the register (she is not disabled), her ID number is made up.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from canlian.accounts.models import Proxy, User
from canlian.benefits import services as benefit_services
from canlian.benefits.choices import Scheme
from canlian.benefits.models import Entitlement
from canlian.common.ids import id_number_for
from canlian.portal.models import ResidentAccount
from canlian.registry.choices import CertificateStatus, LifeStatus
from canlian.registry.demo import DEMO_PASSWORD
from canlian.registry.models import Person
from canlian.rights.rules import CaseKind, CaseSource
from canlian.rights.services import case_assign, case_open, case_reply
from canlian.services.choices import NeedKind
from canlian.services.models import Need
from canlian.services.services import need_open

GUARDIAN_PHONE = "13904790001"


def _account(*, id_number: str, name: str, phone: str) -> User:
    user = User(username=id_number, display_name=name, role="resident")
    user.set_password(DEMO_PASSWORD)
    user.save()
    ResidentAccount.objects.create(user=user, id_number=id_number, name=name, phone=phone,
                                   phone_verified_at=timezone.now())
    return user


@transaction.atomic
def demo_portal_load() -> list[tuple[str, str]]:
    """The residents' logins (phone, who); nothing changes when they exist."""
    if ResidentAccount.objects.exists():
        return [(a.phone, a.name) for a in ResidentAccount.objects.order_by("pk")]
    paid = (Person.objects.filter(life_status=LifeStatus.ACTIVE, entitlements__scheme=Scheme.NURSING_ALLOWANCE,
                                  entitlements__state=Entitlement.State.ACTIVE, residence_area__code="152501001001")
            .exclude(phone="").order_by("pk").first())
    self_user = _account(id_number=paid.id_number, name=paid.name, phone=paid.phone)
    Proxy.objects.create(resident=self_user, person=paid, relation=Proxy.Relation.SELF, state=Proxy.State.CONFIRMED,
                         decided_at=timezone.now(), note="手机号与档案登记的一致，自动确认")
    son = (Person.objects.filter(life_status=LifeStatus.ACTIVE, certificates__status=CertificateStatus.VALID,
                                 certificates__grade__lte=2, residence_area__code="152501001001",
                                 birth_date__gt=date(1995, 1, 1))
           .exclude(entitlements__scheme=Scheme.NURSING_ALLOWANCE).exclude(benefit_applications__state__in=[
               "submitted", "reviewed"]).order_by("pk").first())
    mother_id = id_number_for("152501", date(son.birth_date.year - 27, 3, 8), 82)
    mother = _account(id_number=mother_id, name=f"{son.name[0]}秀兰", phone=GUARDIAN_PHONE)
    Proxy.objects.create(resident=mother, person=son, relation=Proxy.Relation.PARENT, state=Proxy.State.CONFIRMED,
                         decided_by=User.objects.get(username="beijiang"), decided_at=timezone.now(),
                         note="已核对户口簿（演示）")
    application = benefit_services.application_submit(person=son, scheme=Scheme.NURSING_ALLOWANCE, by=mother,
                                                      note="网上申请：孩子日常起居需要有人照料")
    benefit_services.application_info_request(application=application, by=User.objects.get(username="beijiang"),
                                              message="请上传户口簿首页和本人页的照片")
    need_open(person=paid, by=self_user, kind=NeedKind.ASSISTIVE_DEVICE, source=Need.Source.PORTAL,
              detail="网上申请：轮椅已经用了八年，需要更换")
    raised = case_open(by=self_user, kind=CaseKind.COMPLAINT, source=CaseSource.PORTAL,
                       received_on=timezone.localdate(), person=paid, caller_name=paid.name, caller_phone=paid.phone,
                       summary="小区单元门口新修的台阶没有坡道，轮椅进出不了，希望加装坡道。")
    beijiang = User.objects.get(username="beijiang")
    case_assign(case=raised, by=beijiang, officer=beijiang)
    case_reply(case=raised, by=beijiang, replied_on=timezone.localdate(),
               reply="已联系物业，物业答应两周内在单元门口加装坡道，届时我们上门回访。")
    return [(self_user.resident_account.phone, paid.name), (GUARDIAN_PHONE, mother.display_name)]
