from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from canlian.registry.choices import (
    ETHNICITY_CHOICES,
    AssistanceKind,
    Category,
    CertificateStatus,
    EducationLevel,
    Grade,
    HukouType,
    LifeStatus,
    MaritalStatus,
    Relation,
    Sex,
    WgAnswer,
)


class Household(models.Model):
    """A household (户) and its per-capita income; members are listed in HouseholdMember."""

    area = models.ForeignKey("areas.Area", verbose_name=_("所在区域"), on_delete=models.PROTECT,
                             related_name="households")
    address = models.CharField(_("住址"), max_length=200, blank=True)
    per_capita_income = models.DecimalField(
        _("家庭人均年收入（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    income_year = models.PositiveSmallIntegerField(_("收入年度"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("家庭变更记录"))

    class Meta:
        verbose_name = _("家庭")
        verbose_name_plural = _("家庭")

    def __str__(self) -> str:
        return str(_("家庭 %(id)s")) % {"id": self.pk}


class Person(models.Model):
    """A registered disabled person (残疾人) — the centre of the person file (一人一档)."""

    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    name_initials = models.CharField(_("姓名拼音首字母"), max_length=50, editable=False)
    # Derived from the ID number by the registry's services; never typed.
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, editable=False)
    birth_date = models.DateField(_("出生日期"), editable=False, db_index=True)
    ethnicity = models.CharField(_("民族"), max_length=2, choices=ETHNICITY_CHOICES, default="01")
    hukou_type = models.CharField(_("户籍类型"), max_length=12, choices=HukouType.choices)
    hukou_area = models.ForeignKey("areas.Area", verbose_name=_("户籍所在地"), on_delete=models.PROTECT,
                                   related_name="+")
    # No index of its own: person_area_name (residence_area, name) serves every lookup by area.
    residence_area = models.ForeignKey("areas.Area", verbose_name=_("居住地"), on_delete=models.PROTECT,
                                       related_name="residents", db_index=False)
    address = models.CharField(_("居住地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, db_index=True)
    guardian_name = models.CharField(_("监护人姓名"), max_length=50, blank=True)
    guardian_relation = models.CharField(_("监护人关系"), max_length=20, blank=True)
    guardian_phone = models.CharField(_("监护人电话"), max_length=20, blank=True)
    marital_status = models.CharField(_("婚姻状况"), max_length=2, choices=MaritalStatus.choices, blank=True)
    education_level = models.CharField(_("文化程度"), max_length=12, choices=EducationLevel.choices, blank=True)
    life_status = models.CharField(_("人员状态"), max_length=12, choices=LifeStatus.choices,
                                   default=LifeStatus.ACTIVE, db_index=True)
    life_status_since = models.DateField(_("状态生效日期"), null=True, blank=True)
    life_status_reason = models.CharField(_("状态变更原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(verbose_name=_("残疾人变更记录"))

    class Meta:
        verbose_name = _("残疾人")
        verbose_name_plural = _("残疾人")
        indexes = [
            # Prefix search: opclasses make PostgreSQL answer LIKE 'x%' from the index (ignored on SQLite). The
            # residence area rides along so the scope check needs no heap fetch, and name and id ride along
            # (INCLUDE, PostgreSQL only) so a page's ids are sorted from the index alone (BENCHMARKS.md).
            models.Index(fields=["name", "residence_area"], name="person_name_prefix",
                         opclasses=["varchar_pattern_ops", "int8_ops"], include=["id"]),
            models.Index(fields=["name_initials", "residence_area"], name="person_initials_prefix",
                         opclasses=["varchar_pattern_ops", "int8_ops"], include=["name", "id"]),
            models.Index(fields=["residence_area", "name"], name="person_area_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def life_status_on(self, day: date) -> str:
        """The status as it stood on a day: a death recorded since 10 December reads as 在册 on 1 December."""
        if self.life_status_since is not None and self.life_status_since > day:
            return LifeStatus.ACTIVE
        return self.life_status

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


class HouseholdMember(models.Model):
    """One member of a household; a registered person, or a relative known by name and ID."""

    household = models.ForeignKey(Household, verbose_name=_("家庭"), on_delete=models.CASCADE,
                                  related_name="members")
    person = models.OneToOneField(Person, verbose_name=_("残疾人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="membership")
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    relation = models.CharField(_("与户主关系"), max_length=12, choices=Relation.choices)
    history = HistoricalRecords(verbose_name=_("家庭成员变更记录"))

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(relation="head"), name="household_one_head"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id else self.name


class Assessment(models.Model):
    """A disability assessment (残疾评定): findings per category and the optional WG-SS answers."""

    person = models.ForeignKey(Person, verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="assessments")
    assessed_on = models.DateField(_("评定日期"))
    institution = models.CharField(_("评定机构"), max_length=100)
    wg_seeing = models.PositiveSmallIntegerField(_("看"), choices=WgAnswer.choices, null=True, blank=True)
    wg_hearing = models.PositiveSmallIntegerField(_("听"), choices=WgAnswer.choices, null=True, blank=True)
    wg_walking = models.PositiveSmallIntegerField(_("走路或爬台阶"), choices=WgAnswer.choices, null=True,
                                                  blank=True)
    wg_remembering = models.PositiveSmallIntegerField(_("记忆或集中注意力"), choices=WgAnswer.choices,
                                                      null=True, blank=True)
    wg_self_care = models.PositiveSmallIntegerField(_("自理"), choices=WgAnswer.choices, null=True, blank=True)
    wg_communicating = models.PositiveSmallIntegerField(_("沟通"), choices=WgAnswer.choices, null=True,
                                                        blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("残疾评定变更记录"))

    class Meta:
        verbose_name = _("残疾评定")
        verbose_name_plural = _("残疾评定")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.assessed_on}"

    @property
    def wg_answers(self) -> list[int | None]:
        return [self.wg_seeing, self.wg_hearing, self.wg_walking, self.wg_remembering, self.wg_self_care,
                self.wg_communicating]


class AssessmentFinding(models.Model):
    """One category and grade found in an assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="findings")
    category = models.PositiveSmallIntegerField(_("残疾类别"), choices=Category.choices)
    grade = models.PositiveSmallIntegerField(_("残疾等级"), choices=Grade.choices)

    class Meta:
        verbose_name = _("评定结论")
        verbose_name_plural = _("评定结论")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "category"], name="finding_one_per_category"),
            models.CheckConstraint(condition=Q(category__lte=6), name="finding_single_category"),
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=4), name="finding_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}{self.get_grade_display()}"


class Certificate(models.Model):
    """A disability certificate (第二代残疾人证): number = ID + category + grade [+ Bn]."""

    number = models.CharField(_("残疾人证号"), max_length=24, db_index=True)
    person = models.ForeignKey(Person, verbose_name=_("持证人"), on_delete=models.PROTECT,
                               related_name="certificates")
    category = models.PositiveSmallIntegerField(_("残疾类别"), choices=Category.choices)
    grade = models.PositiveSmallIntegerField(_("残疾等级"), choices=Grade.choices, db_index=True)
    reissue_count = models.PositiveSmallIntegerField(_("补发次数"), default=0)
    issued_on = models.DateField(_("发证日期"))
    valid_until = models.DateField(_("有效期至"), db_index=True)
    status = models.CharField(_("证件状态"), max_length=10, choices=CertificateStatus.choices,
                              default=CertificateStatus.VALID, db_index=True)
    status_since = models.DateField(_("状态生效日期"))
    status_reason = models.CharField(_("状态原因"), max_length=200, blank=True)
    assessment = models.ForeignKey(Assessment, verbose_name=_("依据评定"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="certificates")
    replaces = models.ForeignKey("self", verbose_name=_("替换的证件"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="replaced_by")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("残疾人证变更记录"))

    class Meta:
        verbose_name = _("残疾人证")
        verbose_name_plural = _("残疾人证")
        constraints = [
            # 一人一证: a person holds at most one valid certificate.
            models.UniqueConstraint(fields=["person"], condition=Q(status="valid"), name="certificate_one_valid"),
            models.UniqueConstraint(
                fields=["number"], condition=Q(status__in=["valid", "expired", "frozen"]),
                name="certificate_number_live_unique",
            ),
            models.CheckConstraint(condition=Q(category__gte=1, category__lte=7), name="certificate_category"),
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=4), name="certificate_grade"),
        ]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, day: date) -> bool:
        """Valid on a day as far as the record tells: within its dates, and valid now or its present status
        (frozen, cancelled, replaced) began after that day — a card cancelled at a death was valid the month before."""
        return (self.issued_on <= day <= self.valid_until
                and (self.status == CertificateStatus.VALID or self.status_since > day))

    def status_on(self, day: date) -> str:
        """The status as it stands on a day: a valid card past its date reads as expired."""
        if self.status == CertificateStatus.VALID and day > self.valid_until:
            return CertificateStatus.EXPIRED
        return self.status

    @property
    def status_label_today(self) -> str:
        from django.utils import timezone

        return CertificateStatus(self.status_on(timezone.localdate())).label



def valid_certificate_on(day: date, prefix: str = "") -> Q:
    """The condition for a card valid on a day (SQL twin of Certificate.is_valid_on)."""
    return Q(**{f"{prefix}valid_until__gte": day, f"{prefix}issued_on__lte": day}) & (
        Q(**{f"{prefix}status": CertificateStatus.VALID}) | Q(**{f"{prefix}status_since__gt": day}))


def registered_on(day: date, prefix: str = "") -> Q:
    """The condition for a person on the register on a day: in the register now, or deceased, moved or cancelled
    only after that day (SQL twin of Person.life_status_on)."""
    return Q(**{f"{prefix}life_status": LifeStatus.ACTIVE}) | Q(**{f"{prefix}life_status_since__gt": day})


class CertificateComponent(models.Model):
    """One category of a multiple disability (多重残疾) with its own grade."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="components")
    category = models.PositiveSmallIntegerField(_("残疾类别"), choices=Category.choices)
    grade = models.PositiveSmallIntegerField(_("残疾等级"), choices=Grade.choices)

    class Meta:
        verbose_name = _("多重残疾组成")
        verbose_name_plural = _("多重残疾组成")
        constraints = [
            models.UniqueConstraint(fields=["certificate", "category"], name="component_one_per_category"),
            models.CheckConstraint(condition=Q(category__lte=6), name="component_single_category"),
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=4), name="component_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}{self.get_grade_display()}"


class AssistanceStatus(models.Model):
    """A spell of a social-assistance status (低保/特困/低保边缘/低收入) from civil affairs' lists.

    The spells are the history: a status is never edited away, a spell ends on the date of the first list
    that no longer names the person. `source` says which list started and which ended it.
    """

    person = models.ForeignKey(Person, verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="assistance_statuses")
    kind = models.CharField(_("救助类型"), max_length=20, choices=AssistanceKind.choices)
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    started_by = models.CharField(_("依据名单"), max_length=100)
    ended_by = models.CharField(_("终止依据"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("救助身份")
        verbose_name_plural = _("救助身份")
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], condition=Q(ended_on__isnull=True),
                                    name="assistance_one_open_spell"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.started_on}"

    def is_active_on(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day < self.ended_on)


class CertificateRequest(models.Model):
    """A request about a disability certificate (证件申请), online or at the counter: an assessment and a first card
    for someone not yet registered, the renewal of a card, or the reissue of a lost one. The officer of the area
    handles it with the registry's own pages (登记、评定、发证、换证、补发) and closes it with the outcome."""

    class Kind(models.TextChoices):
        NEW = "new", _("残疾评定和办证")
        RENEWAL = "renewal", _("到期换证")
        REISSUE = "reissue", _("遗失补办")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("已提交，待受理")
        DONE = "done", _("已办结")
        REFUSED = "refused", _("未予办理")
        WITHDRAWN = "withdrawn", _("已撤回")

    kind = models.CharField(_("申请事项"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    person = models.ForeignKey(Person, verbose_name=_("残疾人"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="certificate_requests")
    # Who the request is about when they are not on the register yet (残疾评定和办证), and where they live.
    applicant_name = models.CharField(_("申请人姓名"), max_length=50, blank=True)
    applicant_id_number = models.CharField(_("申请人身份证号"), max_length=18, blank=True)
    area = models.ForeignKey("areas.Area", verbose_name=_("所在社区（嘎查）"), on_delete=models.PROTECT, related_name="+")
    category = models.PositiveSmallIntegerField(_("残疾类别（自述）"), choices=Category.choices, null=True, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    note = models.CharField(_("申请说明"), max_length=200, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人账户"), on_delete=models.PROTECT,
                                     related_name="+")
    submitted_on = models.DateField(_("申请日期"))
    due_on = models.DateField(_("受理时限"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("办结日期"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=200, blank=True)
    history = HistoricalRecords(verbose_name=_("证件申请办理记录"))

    class Meta:
        verbose_name = _("证件申请")
        verbose_name_plural = _("证件申请")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], condition=Q(state="submitted", person__isnull=False),
                                    name="certificate_request_one_open"),
            models.UniqueConstraint(fields=["applicant_id_number", "kind"],
                                    condition=Q(state="submitted", person__isnull=True),
                                    name="certificate_request_one_open_new"),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.applicant_name} {self.get_kind_display()}"

    @property
    def who(self) -> str:
        return self.person.name if self.person_id else self.applicant_name
