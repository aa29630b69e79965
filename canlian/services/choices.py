"""Code lists of needs and services (精准服务): what a person needs, what was delivered, by whom."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedKind(models.TextChoices):
    """A need the annual survey (动态1表) can find: "needs X, not receiving X"."""

    REHABILITATION = "rehabilitation", _("康复服务")
    ASSISTIVE_DEVICE = "assistive_device", _("辅助器具")
    CHILD_REHABILITATION = "child_rehabilitation", _("残疾儿童康复救助")
    CARE = "care", _("托养照护")
    HOME_MODIFICATION = "home_modification", _("家庭无障碍改造")
    EDUCATION = "education", _("教育安置或资助")
    EMPLOYMENT = "employment", _("就业帮扶")
    CULTURE_SPORTS = "culture_sports", _("文化体育活动")


class NeedState(models.TextChoices):
    OPEN = "open", _("待转介")
    REFERRED = "referred", _("已转介，服务中")
    MET = "met", _("已满足")
    CLOSED = "closed", _("已关闭（未服务）")


class ServiceKind(models.TextChoices):
    """One service catalogue for all types (服务目录); each type has its own subtypes."""

    REHABILITATION = "rehabilitation", _("基本康复服务")
    ASSISTIVE_DEVICE = "assistive_device", _("辅助器具适配")
    CHILD_REHABILITATION = "child_rehabilitation", _("残疾儿童康复救助")
    CARE = "care", _("托养照护")
    HOME_MODIFICATION = "home_modification", _("家庭无障碍改造")
    EDUCATION = "education", _("教育")
    CULTURE_SPORTS = "culture_sports", _("文化体育")


# The subtypes the plan names, per service type (服务项目).
SUBTYPES: dict[str, list[tuple[str, str]]] = {
    ServiceKind.REHABILITATION: [
        ("training", _("康复训练")), ("family_doctor", _("家庭医生签约服务")),
        ("mental_community", _("精神障碍社区康复")), ("psychological", _("心理疏导")),
        ("medical", _("医疗康复")), ("plan", _("制定康复方案（一人一案）"))],
    ServiceKind.ASSISTIVE_DEVICE: [
        ("fitting", _("适配")), ("rental", _("租赁")), ("return", _("回收")), ("repair", _("维修"))],
    ServiceKind.CHILD_REHABILITATION: [
        ("surgery", _("手术")), ("device", _("辅助器具适配")), ("training", _("康复训练")),
        ("therapy", _("理疗"))],
    ServiceKind.CARE: [("home", _("居家托养")), ("day", _("日间照料")), ("residential", _("寄宿制托养"))],
    ServiceKind.HOME_MODIFICATION: [("modification", _("家庭无障碍改造"))],
    ServiceKind.EDUCATION: [
        ("mainstream", _("随班就读")), ("special_school", _("特殊教育学校")),
        ("welfare_class", _("福利机构特教班")), ("home_teaching", _("送教上门")),
        ("deferred", _("缓学或免学（在说明中写明原因）")), ("university_aid", _("大学生资助"))],
    ServiceKind.CULTURE_SPORTS: [("culture", _("文化活动")), ("sports", _("体育健身")),
                                 ("federation_event", _("残联组织的活动"))],
}

# The need a service answers, where the names differ.
SERVICE_FOR_NEED = {
    NeedKind.REHABILITATION: ServiceKind.REHABILITATION, NeedKind.ASSISTIVE_DEVICE: ServiceKind.ASSISTIVE_DEVICE,
    NeedKind.CHILD_REHABILITATION: ServiceKind.CHILD_REHABILITATION, NeedKind.CARE: ServiceKind.CARE,
    NeedKind.HOME_MODIFICATION: ServiceKind.HOME_MODIFICATION, NeedKind.EDUCATION: ServiceKind.EDUCATION,
    NeedKind.CULTURE_SPORTS: ServiceKind.CULTURE_SPORTS,
}


class ServiceOutcome(models.TextChoices):
    ONGOING = "", _("进行中")
    COMPLETED = "completed", _("已完成")
    IMPROVED = "improved", _("完成，功能改善")
    STOPPED = "stopped", _("中止")


class InstitutionKind(models.TextChoices):
    REHABILITATION = "rehabilitation", _("康复机构")
    HOSPITAL = "hospital", _("医疗卫生机构")
    DEVICE = "device", _("辅助器具服务机构")
    CARE = "care", _("托养机构（阳光家园）")
    SCHOOL = "school", _("学校")
    OTHER = "other", _("其他")

# An education service that places a school-age child, or records why not (一人一案).
PLACEMENTS = ("mainstream", "special_school", "welfare_class", "home_teaching", "deferred")
