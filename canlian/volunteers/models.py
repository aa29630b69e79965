"""Volunteers for disabled persons (志愿助残): volunteers and their organisations, the requests disabled persons make,
the services given with their hours and the person's feedback, and awards; and the emergency register (应急登记)
with each person's pairing to a named helper (结对帮扶)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from canlian.volunteers.rules import EmergencyNeed, RequestKind


class Organisation(models.Model):
    """A volunteer organisation (志愿服务组织): a team, a school's society, a company's volunteers …"""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    area = models.ForeignKey("areas.Area", verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("志愿服务组织")
        verbose_name_plural = _("志愿服务组织")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    """A registered volunteer (志愿者), on their own consent; the area they serve and what help they offer."""

    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20)
    area = models.ForeignKey("areas.Area", verbose_name=_("服务区域"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("所属组织"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="volunteers")
    skills = models.JSONField(_("可提供的服务"), default=list)
    availability = models.CharField(_("可服务时间"), max_length=100, blank=True)
    consent_on = models.DateField(_("本人同意登记日期"))
    active = models.BooleanField(_("在册"), default=True)
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                      related_name="+")

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["phone"], condition=Q(active=True),
                                               name="volunteer_one_active_per_phone")]

    def __str__(self) -> str:
        return self.name

    @property
    def skill_labels(self) -> list[str]:
        return [str(RequestKind(skill).label) for skill in self.skills if skill in RequestKind.values]


class Request(models.Model):
    """A disabled person's request for volunteer help (志愿服务需求): open until matched to a volunteer; unanswered
    past its deadline it is flagged."""

    class State(models.TextChoices):
        OPEN = "open", _("待响应")
        MATCHED = "matched", _("已对接志愿者")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="volunteer_requests")
    kind = models.CharField(_("服务类型"), max_length=16, choices=RequestKind.choices)
    detail = models.CharField(_("具体需求"), max_length=500)
    wanted_on = models.DateField(_("希望服务日期"), null=True, blank=True)
    requested_on = models.DateField(_("提出日期"))
    due_on = models.DateField(_("响应期限"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.OPEN)
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("对接志愿者"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="requests")
    matched_on = models.DateField(_("对接日期"), null=True, blank=True)
    match_reason = models.CharField(_("对接依据"), max_length=200, blank=True)
    closed_note = models.CharField(_("完成或取消说明"), max_length=200, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("志愿服务需求")
        verbose_name_plural = _("志愿服务需求")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["state", "due_on"], name="volunteer_request_state_due")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"


class Service(models.Model):
    """A service a volunteer gave (志愿服务记录): the day, the hours, and the person's feedback."""

    class Feedback(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        FAIRLY = "fairly", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    request = models.ForeignKey(Request, verbose_name=_("服务需求"), on_delete=models.PROTECT, related_name="services")
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT,
                                  related_name="services")
    served_on = models.DateField(_("服务日期"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=4, decimal_places=1)
    note = models.CharField(_("服务内容"), max_length=500, blank=True)
    feedback = models.CharField(_("服务对象评价"), max_length=12, choices=Feedback.choices, blank=True)
    feedback_note = models.CharField(_("评价说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("志愿服务记录")
        verbose_name_plural = _("志愿服务记录")
        ordering = ["-served_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24),
                                              name="volunteer_service_hours_in_day")]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.served_on} {self.hours}h"


class Award(models.Model):
    """A commendation of a volunteer (表彰), e.g. 优秀志愿者."""

    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="awards")
    title = models.CharField(_("表彰名称"), max_length=100)
    awarded_on = models.DateField(_("表彰日期"))
    awarded_by = models.CharField(_("表彰单位"), max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("志愿者表彰")
        verbose_name_plural = _("志愿者表彰")
        ordering = ["-awarded_on", "pk"]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.title}"


class EmergencyProfile(models.Model):
    """What a person needs in a disaster, an epidemic or an accident (应急需求登记), confirmed by an officer."""

    person = models.OneToOneField("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                                  related_name="emergency_profile")
    needs = models.JSONField(_("应急需求"), default=list)
    note = models.CharField(_("说明"), max_length=200, blank=True,
                            help_text=_("例如：使用家用制氧机；住六楼无电梯。"))
    recorded_on = models.DateField(_("登记日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("应急需求登记")
        verbose_name_plural = _("应急需求登记")

    def __str__(self) -> str:
        return str(self.person)

    @property
    def need_labels(self) -> list[str]:
        return [str(EmergencyNeed(need).label) for need in self.needs if need in EmergencyNeed.values]


class Pairing(models.Model):
    """A person's pairing with a named helper for emergencies (结对帮扶): a neighbour, a volunteer or an officer;
    confirmed again from time to time, since phones and neighbours change."""

    class HelperKind(models.TextChoices):
        NEIGHBOUR = "neighbour", _("邻居")
        VOLUNTEER = "volunteer", _("志愿者")
        OFFICER = "officer", _("社区工作人员")
        RELATIVE = "relative", _("亲属（不同住）")

    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="pairings")
    helper_kind = models.CharField(_("帮扶人身份"), max_length=12, choices=HelperKind.choices)
    helper_name = models.CharField(_("帮扶人姓名"), max_length=50)
    helper_phone = models.CharField(_("帮扶人电话"), max_length=20)
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="pairings")
    started_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("解除日期"), null=True, blank=True)
    confirmed_on = models.DateField(_("最近确认日期"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("应急结对")
        verbose_name_plural = _("应急结对")
        ordering = ["-started_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["person"], condition=Q(ended_on__isnull=True),
                                               name="pairing_one_current_per_person")]

    def __str__(self) -> str:
        return f"{self.person} ↔ {self.helper_name}"
