"""Code lists of employment (domain.md §3): forms of work, reasons for not working, employers, training."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmploymentForm(models.TextChoices):
    """就业形式 as the real-name statistics count them."""

    QUOTA = "quota", _("按比例就业")
    CONCENTRATED = "concentrated", _("集中就业")
    SELF_EMPLOYED = "self_employed", _("个体/自主创业")
    FLEXIBLE = "flexible", _("灵活就业")
    ASSISTED = "assisted", _("辅助性就业")
    PUBLIC_WELFARE = "public_welfare", _("公益性岗位")
    AGRICULTURE = "agriculture", _("农牧业生产")


class NotWorkingReason(models.TextChoices):
    """未就业原因 (动态1表). Those who want work are on the job seekers' worklist."""

    SEEKING = "seeking", _("有就业意愿，尚未就业")
    GRADUATE = "graduate", _("高校毕业，尚未就业")
    STUDYING = "studying", _("在校学习")
    UNABLE = "unable", _("丧失劳动能力")
    HOUSEWORK = "housework", _("料理家务")
    UNWILLING = "unwilling", _("无就业意愿")
    OTHER = "other", _("其他")


WANTS_WORK = (NotWorkingReason.SEEKING, NotWorkingReason.GRADUATE)


class EmployerKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    GOVERNMENT = "government", _("机关")
    INSTITUTION = "institution", _("事业单位")
    SOCIAL_ORGANISATION = "social_organisation", _("社会团体、民办非企业单位")


class DeclarationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已申报，待审核")
    REVIEWED = "reviewed", _("已审核，待复核")
    DECIDED = "decided", _("已出具决定书")
    PAID = "paid", _("已缴款")


class Rejection(models.TextChoices):
    """Why a declared employee is not counted, in the order the review checks (rules.employee_check)."""

    NOT_REGISTERED = "not_registered", _("本平台查无此残疾人证号的持证人")
    NO_VALID_CERTIFICATE = "no_valid_certificate", _("申报年度末没有有效的残疾人证")
    NOT_WORKING_AGE = "not_working_age", _("申报年度内不在就业年龄段")
    BELOW_MINIMUM_WAGE = "below_minimum_wage", _("月工资低于当地最低工资标准")
    NO_SOCIAL_INSURANCE = "no_social_insurance", _("未缴纳社会保险")
    SHORT_CONTRACT = "short_contract", _("劳动合同（服务协议）不足一年")
    DECLARED_ELSEWHERE = "declared_elsewhere", _("同一年度已由其他单位申报")


class CourseKind(models.TextChoices):
    VOCATIONAL = "vocational", _("职业技能培训")
    ENTREPRENEURSHIP = "entrepreneurship", _("创业培训")
    AGRICULTURE = "agriculture", _("农牧业实用技术培训")
    OTHER = "other", _("其他培训")


class EventKind(models.TextChoices):
    JOB_FAIR = "job_fair", _("招聘会")
    PLACEMENT = "placement", _("就业援助月等专项活动")


class SupportKind(models.TextChoices):
    """创业扶持."""

    STARTUP_GRANT = "startup_grant", _("一次性创业补贴")
    LOAN_INTEREST = "loan_interest", _("创业贷款贴息")
    PREMISES = "premises", _("经营场地扶持")
    OTHER = "other", _("其他扶持")
