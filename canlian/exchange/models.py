"""Data exchange (数据交换共享): import batches and their staged rows, and the worklists lists produce."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from canlian.registry.choices import LifeStatus


class ImportBatch(models.Model):
    """One department list brought in (by file or API): who, when, which file, what it changed."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        VALIDATING = "validating", _("正在校验")
        VALIDATED = "validated", _("已校验，待确认导入")
        COMMIT_QUEUED = "commit_queued", _("等待导入")
        COMMITTING = "committing", _("正在导入")
        COMMITTED = "committed", _("已导入")
        REJECTED = "rejected", _("文件无法导入")
        DUPLICATE = "duplicate", _("重复文件，未导入")
        DISCARDED = "discarded", _("已放弃")

    class Via(models.TextChoices):
        FILE = "file", _("上传文件")
        CLI = "cli", _("命令行")
        API = "api", _("部门接口")

    source = models.CharField(_("数据来源"), max_length=40)
    area = models.ForeignKey("areas.Area", verbose_name=_("名单覆盖区域"), on_delete=models.PROTECT,
                             related_name="+")
    list_date = models.DateField(_("名单日期"))
    via = models.CharField(_("方式"), max_length=8, choices=Via.choices, default=Via.FILE)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    file_sha256 = models.CharField(_("文件摘要(SHA-256)"), max_length=64, db_index=True)
    file_size = models.PositiveBigIntegerField(_("文件大小（字节）"), default=0)
    stored_path = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("exchange.DepartmentToken", verbose_name=_("部门令牌"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="batches")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.QUEUED)
    message = models.TextField(_("说明"), blank=True)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    error_rows = models.PositiveIntegerField(_("有错误的行"), default=0)
    # What the list would change (after validation) or did change (after import).
    new_count = models.PositiveIntegerField(_("新增"), default=0)
    changed_count = models.PositiveIntegerField(_("变更"), default=0)
    ended_count = models.PositiveIntegerField(_("终止"), default=0)
    unchanged_count = models.PositiveIntegerField(_("无变化"), default=0)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认导入人"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Idempotence the database keeps: one file is applied once per source, even by two workers at once.
            models.UniqueConstraint(fields=["source", "file_sha256"], condition=Q(state="committed"),
                                    name="batch_file_committed_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.source} {self.file_name}"

    @property
    def is_busy(self) -> bool:
        return self.state in {self.State.QUEUED, self.State.VALIDATING, self.State.COMMIT_QUEUED,
                              self.State.COMMITTING}

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.processed_rows / self.total_rows)) if self.total_rows else 0


class MatchOutcome(models.TextChoices):
    """How a list's row matched the registry (比对结果)."""

    MATCHED = "matched", _("匹配")
    NOT_IN_REGISTRY = "not_found", _("名册中没有此人")
    NAME_DIFFERS = "name_differs", _("姓名与名册不一致")
    ID_INVALID = "id_invalid", _("身份证号无效")


class RowAction(models.TextChoices):
    NEW = "new", _("新增")
    CHANGED = "changed", _("变更")
    UNCHANGED = "unchanged", _("无变化")
    SKIPPED = "skipped", _("不导入")


class ImportRow(models.Model):
    """One data row of a batch, normalised into typed columns so the import applies as set-based SQL.

    Each source says what `on`, `until`, `code` and `detail` hold (e.g. the 低保 start date and kind).
    Rows with problems keep their original cells for the error report.
    """

    # Indexed by the composite indexes below: every index is paid for on each of a big list's 100,000 rows.
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows", db_index=False)
    row_number = models.PositiveIntegerField(_("行号"))
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    on = models.DateField(null=True)
    until = models.DateField(null=True)
    code = models.CharField(max_length=20, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    data = models.JSONField(null=True)
    valid = models.BooleanField(default=True)
    problems = models.JSONField(_("问题"), null=True)
    raw = models.JSONField(null=True)
    person_id = models.BigIntegerField(null=True)
    match = models.CharField(_("比对结果"), max_length=12, choices=MatchOutcome.choices, blank=True)
    action = models.CharField(_("处理"), max_length=10, choices=RowAction.choices, blank=True)

    class Meta:
        verbose_name = _("导入行")
        verbose_name_plural = _("导入行")
        indexes = [
            models.Index(fields=["batch", "row_number"], name="importrow_batch_row"),
            models.Index(fields=["batch", "person_id"], name="importrow_batch_person"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number}"


class MatchReview(models.Model):
    """A list row that did not match the registry cleanly, for an officer to work through (比对核查)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="match_reviews")
    row_number = models.PositiveIntegerField(_("行号"))
    outcome = models.CharField(_("比对结果"), max_length=12, choices=MatchOutcome.choices)
    id_number = models.CharField(_("身份证号"), max_length=40, blank=True)
    name = models.CharField(_("名单中的姓名"), max_length=50, blank=True)
    person = models.ForeignKey("registry.Person", verbose_name=_("名册中的人员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    note = models.CharField(_("处理说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("比对核查")
        verbose_name_plural = _("比对核查")
        ordering = ["resolved_at", "-batch_id", "row_number"]
        indexes = [models.Index(fields=["resolved_at", "outcome"], name="matchreview_open")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number} {self.outcome}"


class StatusProposal(models.Model):
    """A death or a household move reported by another department, waiting for an officer to confirm.

    A list never marks anyone dead by itself: the officer checks and confirms (or rejects with a reason).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("待核实")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("已驳回")

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="proposals")
    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="+")
    status = models.CharField(_("报告的状态"), max_length=12,
                              choices=[(LifeStatus.DECEASED, _("死亡")), (LifeStatus.MOVED_OUT, _("迁出"))])
    since = models.DateField(_("发生日期"))
    detail = models.CharField(_("部门说明"), max_length=200, blank=True)
    state = models.CharField(_("处理状态"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核实人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    note = models.CharField(_("核实说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("状态变更核实")
        verbose_name_plural = _("状态变更核实")
        ordering = ["since", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "status", "since"], name="proposal_once_per_report"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_status_display()} {self.since}"


class DepartmentRecord(models.Model):
    """A fact another department holds about a person: insurance, employment, school, family doctor."""

    class Kind(models.TextChoices):
        MEDICAL_INSURANCE = "medical_insurance", _("基本医疗保险参保")
        PENSION_INSURANCE = "pension_insurance", _("城乡居民养老保险参保")
        EMPLOYMENT = "employment", _("就业登记")
        SCHOOL = "school", _("在校就读")
        FAMILY_DOCTOR = "family_doctor", _("家庭医生签约")

    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="department_records")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    organisation = models.CharField(_("单位/机构"), max_length=200, blank=True)
    detail = models.CharField(_("说明"), max_length=20, blank=True)
    batch = models.ForeignKey(ImportBatch, verbose_name=_("最近更新批次"), on_delete=models.PROTECT,
                              related_name="+")

    class Meta:
        verbose_name = _("部门数据")
        verbose_name_plural = _("部门数据")
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "started_on"], name="department_record_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.started_on}"


class ChildScreening(models.Model):
    """A child disability screening report from health (0–14 岁残疾儿童筛查), followed up for early intervention."""

    class FollowUp(models.TextChoices):
        OPEN = "open", _("待跟进")
        REGISTERED = "registered", _("已在名册")
        CLOSED = "closed", _("已结案")

    id_number = models.CharField(_("身份证号"), max_length=18)
    name = models.CharField(_("姓名"), max_length=50)
    birth_date = models.DateField(_("出生日期"))
    screened_on = models.DateField(_("筛查日期"))
    finding = models.CharField(_("筛查结果"), max_length=20)
    institution = models.CharField(_("筛查机构"), max_length=100, blank=True)
    area = models.ForeignKey("areas.Area", verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", verbose_name=_("名册中的人员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")
    follow_up = models.CharField(_("跟进状态"), max_length=12, choices=FollowUp.choices, default=FollowUp.OPEN)
    note = models.CharField(_("跟进说明"), max_length=200, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("结案人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("残疾儿童筛查")
        verbose_name_plural = _("残疾儿童筛查")
        ordering = ["screened_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["id_number", "screened_on"], name="screening_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.screened_on}"


class DepartmentToken(models.Model):
    """A partner department's API credential with its scopes and areas; only a hash of the secret is kept."""

    class Scope(models.TextChoices):
        PUSH_ASSISTANCE = "push:assistance", _("推送低保/特困/低保边缘名单")
        PUSH_LIFE_EVENTS = "push:life_events", _("推送死亡和户籍迁移")
        PUSH_INSURANCE = "push:insurance", _("推送医保和养老保险参保名单")
        PUSH_EMPLOYMENT = "push:employment", _("推送就业登记")
        PUSH_EDUCATION = "push:education", _("推送学籍")
        PUSH_HEALTH = "push:health", _("推送残疾儿童筛查和家庭医生签约")
        VERIFY_CERTIFICATES = "read:certificate_verification", _("核验残疾人证")
        READ_SCHOOL_AGE = "read:school_age_children", _("查询本区域学龄残疾儿童")

    department = models.CharField(_("部门"), max_length=100)
    prefix = models.CharField(_("令牌前缀"), max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("权限范围"), default=list)
    areas = models.ManyToManyField("areas.Area", verbose_name=_("数据区域"), related_name="+")
    acting_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录为操作人"),
                                    on_delete=models.PROTECT, related_name="+",
                                    help_text=_("通过接口导入的数据记在此账号名下（须有对应区域权限）。"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    rotated_at = models.DateTimeField(_("最近更换时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("部门接口令牌")
        verbose_name_plural = _("部门接口令牌")

    def __str__(self) -> str:
        return f"{self.department} ({self.prefix}…)"

    def allows(self, scope: str) -> bool:
        return self.revoked_at is None and scope in self.scopes


class ApiCall(models.Model):
    """One call to the department API: who, what, when, the answer (logged for audit and rate limits)."""

    token = models.ForeignKey(DepartmentToken, null=True, on_delete=models.SET_NULL, related_name="calls")
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=200)
    status = models.PositiveSmallIntegerField()
    ip_address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("接口调用记录")
        verbose_name_plural = _("接口调用记录")
        indexes = [models.Index(fields=["token", "at"], name="apicall_token_at")]

    def __str__(self) -> str:
        return f"{self.at} {self.method} {self.path} {self.status}"
