"""The policy parameters the platform knows, with the Erenhot defaults and their sources (domain.md)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ParameterSpec:
    key: str
    label: str
    default: Decimal
    source: str


EARLIEST = date(2000, 1, 1)

SPECS = {
    spec.key: spec
    for spec in [
        ParameterSpec("certificate.validity_years", "残疾人证有效期（年）", Decimal(10), "《残疾人证管理办法》[C]"),
        ParameterSpec(
            "certificate.reapply_after_cancel_years", "注销后不得重新申请的期限（年）", Decimal(1),
            "《残疾人证管理办法》第24条 [C]",
        ),
        ParameterSpec("certificate.expiry_notice_days", "证件到期提醒天数", Decimal(90), "本平台默认"),
        ParameterSpec("household.elder_parent_age", "依老养残：父母年龄下限（岁）", Decimal(60), "规划 [U]"),
        ParameterSpec("children.screening_max_age", "残疾儿童筛查与康复救助年龄上限（岁）", Decimal(14),
                      "规划 0—14 岁 [U]；国发〔2018〕20号 基线 0—6 岁"),
        ParameterSpec("living_allowance.includes_near_dibao", "生活补贴扩大到低保边缘家庭（1=是，0=否）", Decimal(0),
                      "国发〔2015〕52号 允许地方扩大范围 [C]；本地是否扩大 [U]"),
        ParameterSpec("living_allowance.includes_low_income", "生活补贴扩大到低收入家庭（1=是，0=否）", Decimal(0),
                      "国发〔2015〕52号 允许地方扩大范围 [C]；本地是否扩大 [U]"),
        ParameterSpec("living_allowance.extreme_poverty_keeps", "特困供养人员享受生活补贴（1=是，0=否）", Decimal(0),
                      "国发〔2015〕52号 [C]"),
        ParameterSpec("nursing_allowance.includes_grade34", "护理补贴扩大到三、四级智力、精神、多重残疾（1=是，0=否）",
                      Decimal(1), "规划 [C]"),
        ParameterSpec("nursing_allowance.extreme_poverty_keeps", "特困供养人员享受护理补贴（1=是，0=否）", Decimal(0),
                      "国发〔2015〕52号 [P]；部分省份保留"),
        ParameterSpec("accident_insurance.max_age", "意外伤害保险投保年龄上限（岁）", Decimal(59), "规划 59 岁以下 [P]"),
        ParameterSpec("benefits.review_working_days", "补贴申请：社区审核时限（工作日）", Decimal(5), "本平台默认 [U]"),
        ParameterSpec("benefits.approval_working_days", "补贴申请：残联审批时限（工作日）", Decimal(10), "本平台默认 [U]"),
        ParameterSpec("benefits.start_months_after_approval", "批准后从第几个月起发放（1=次月）", Decimal(1),
                      "国发〔2015〕52号 各地多为次月起发 [P]"),
        ParameterSpec("person.working_age_min", "就业年龄段下限（岁）", Decimal(16), "规划 16—59 岁 [C]"),
        ParameterSpec("person.working_age_max", "就业年龄段上限（岁）", Decimal(59), "规划 16—59 岁 [C]"),
        ParameterSpec("employment.public_welfare_max_placements", "公益性岗位：每人最多安置次数", Decimal(2),
                      "规划 [C]"),
        ParameterSpec("employment.plan_new_jobs", "规划目标：新增残疾人就业（人，2021—2025）", Decimal(50),
                      "二连浩特“十四五”规划 [C]"),
        ParameterSpec("employment.plan_new_businesses", "规划目标：扶持残疾人创业（人，2021—2025）", Decimal(50),
                      "二连浩特“十四五”规划 [C]"),
        ParameterSpec("employment.minimum_wage_monthly", "当地月最低工资标准（元）", Decimal(1760),
                      "内蒙古一类地区标准 [U]：二连浩特所属类别待确认"),
        ParameterSpec("levy.quota_ratio_percent", "按比例就业：规定比例（%）", Decimal("1.5"),
                      "内财非税规〔2018〕9号 1.5% [C]"),
        ParameterSpec("levy.severe_counts_as", "一、二级残疾职工按几人计算", Decimal(2), "《残疾人就业条例》[C]"),
        ParameterSpec("levy.wage_cap_multiple", "计征工资上限：当地社会平均工资的倍数（0=不设上限）", Decimal(0),
                      "财税〔2018〕39号 2018-04-01 起 2 倍 [C]"),
        ParameterSpec("levy.local_average_wage", "当地上年度职工平均工资（元/年）", Decimal(0),
                      "统计部门每年公布；示例值 [U]"),
        ParameterSpec("levy.tiers_in_force", "分档减缴（1=实行，0=不实行）", Decimal(0),
                      "财政部公告2019年第98号 2020—2022，公告2023年第8号 延至 2027-12-31 [C]"),
        ParameterSpec("levy.tier_threshold_percent", "分档减缴：比例分界（%）", Decimal(1), "财政部公告2019年第98号 [C]"),
        ParameterSpec("levy.tier_upper_payable_percent", "分档减缴：达到分界比例的按应缴额的（%）", Decimal(50),
                      "财政部公告2019年第98号 [C]"),
        ParameterSpec("levy.tier_lower_payable_percent", "分档减缴：低于分界比例的按应缴额的（%）", Decimal(90),
                      "财政部公告2019年第98号 [C]"),
        ParameterSpec("levy.small_enterprise_max_staff", "小微企业暂免：在职职工人数上限（0=不免）", Decimal(0),
                      "财政部公告2019年第98号 30 人（含）以下企业 [C]"),
        ParameterSpec("levy.late_surcharge_per_mille", "滞纳金：每日按欠缴额的（‰）", Decimal(5), "《残疾人就业条例》第27条 [C]"),
        ParameterSpec("levy.payment_days", "决定书送达后的缴款期限（日）", Decimal(30), "本平台默认 [U]"),
        ParameterSpec("services.referral_days", "需求发现后转介服务的期限（日）", Decimal(30), "本平台默认 [U]"),
        ParameterSpec("services.coordinator_min_persons", "康复协调员：每人负责残疾人数下限", Decimal(80), "规划 80—150 人 [C]"),
        ParameterSpec("services.coordinator_max_persons", "康复协调员：每人负责残疾人数上限", Decimal(150), "规划 80—150 人 [C]"),
        ParameterSpec("children_rehab.cap.surgery", "儿童康复救助：手术年度限额（元）", Decimal(20000), "各地标准不同 [U]"),
        ParameterSpec("children_rehab.cap.device", "儿童康复救助：辅助器具适配年度限额（元）", Decimal(5000), "各地标准不同 [U]"),
        ParameterSpec("children_rehab.cap.training", "儿童康复救助：康复训练年度限额（元）", Decimal(24000), "各地标准不同 [U]"),
        ParameterSpec("children_rehab.cap.therapy", "儿童康复救助：理疗年度限额（元）", Decimal(6000), "各地标准不同 [U]"),
        ParameterSpec("home_modification.yearly_target", "家庭无障碍改造：年度目标（户）", Decimal(40),
                      "“十三五”改造 194 户，约每年 40 户 [U]"),
        ParameterSpec("care.subsidy.home", "阳光家园：居家托养每人每年补贴（元）", Decimal(1500), "阳光家园计划 [U]"),
        ParameterSpec("care.subsidy.day", "阳光家园：日间照料每人每年补贴（元）", Decimal(3000), "阳光家园计划 [U]"),
        ParameterSpec("care.subsidy.residential", "阳光家园：寄宿制托养每人每年补贴（元）", Decimal(6000), "阳光家园计划 [U]"),
        ParameterSpec("certificate.request_working_days", "证件申请（评定办证、换证、补证）：受理时限（工作日）",
                      Decimal(10), "本平台默认 [U]"),
        ParameterSpec("watch.income_line", "防止返贫监测线：家庭人均年收入（元）", Decimal(6000),
                      "国家 2021 年起 6000 元，各省每年调整 [U]：请按自治区当年公布数更新"),
        ParameterSpec("watch.medical_spending_threshold", "返贫监测：大额医疗自付支出（元）", Decimal(20000),
                      "本平台默认 [U]：各地标准不同"),
        ParameterSpec("watch.lookback_days", "返贫监测：变故追溯期（日，退出低保、死亡、重病、医疗支出）",
                      Decimal(365), "本平台默认 [U]"),
        ParameterSpec("watch.follow_up_days", "返贫监测：跟踪走访周期（日）", Decimal(30), "本平台默认 [U]"),
        ParameterSpec("rights.due_working_days.consultation", "维权案件办结时限：咨询（工作日）", Decimal(3),
                      "本平台默认 [U]：12345 热线咨询类一般 1—3 个工作日"),
        ParameterSpec("rights.due_working_days.help", "维权案件办结时限：求助（工作日）", Decimal(10), "本平台默认 [U]"),
        ParameterSpec("rights.due_working_days.complaint", "维权案件办结时限：投诉（工作日）", Decimal(15),
                      "本平台默认 [U]：12345 热线投诉类一般 15 个工作日"),
        ParameterSpec("rights.due_working_days.petition", "维权案件办结时限：信访（工作日）", Decimal(42),
                      "《信访工作条例》第三十二条 受理之日起 60 日内办结 [P]，约合 42 个工作日"),
        ParameterSpec("rights.due_calendar_days.petition", "维权案件：信访的法定办结期限（日，自然日；0=不限）", Decimal(60),
                      "《信访工作条例》第三十二条 受理之日起 60 日内办结 [C]：按工作日算出的期限不晚于此日"),
        ParameterSpec("rights.due_working_days.legal_aid", "维权案件办结时限：法律援助（工作日）", Decimal(5),
                      "《法律援助法》第四十三条 7 日内审查决定 [P]，约合 5 个工作日"),
        ParameterSpec("rights.due_working_days.infringement", "维权案件办结时限：权益侵害（工作日）", Decimal(15),
                      "本平台默认 [U]"),
        ParameterSpec("rights.remind_working_days", "维权案件：期限前几个工作日提醒承办人", Decimal(2), "本平台默认 [U]"),
        ParameterSpec("volunteers.answer_working_days", "志愿服务需求：响应时限（工作日）", Decimal(3), "本平台默认 [U]"),
        ParameterSpec("volunteers.star1_hours", "星级志愿者：一星所需累计服务时长（小时）", Decimal(100),
                      "中国志愿服务联合会星级认定 100/300/600/1000/1500 小时 [P]"),
        ParameterSpec("volunteers.star2_hours", "星级志愿者：二星所需累计服务时长（小时）", Decimal(300),
                      "中国志愿服务联合会星级认定 100/300/600/1000/1500 小时 [P]"),
        ParameterSpec("volunteers.star3_hours", "星级志愿者：三星所需累计服务时长（小时）", Decimal(600),
                      "中国志愿服务联合会星级认定 100/300/600/1000/1500 小时 [P]"),
        ParameterSpec("volunteers.star4_hours", "星级志愿者：四星所需累计服务时长（小时）", Decimal(1000),
                      "中国志愿服务联合会星级认定 100/300/600/1000/1500 小时 [P]"),
        ParameterSpec("volunteers.star5_hours", "星级志愿者：五星所需累计服务时长（小时）", Decimal(1500),
                      "中国志愿服务联合会星级认定 100/300/600/1000/1500 小时 [P]"),
        ParameterSpec("emergency.confirm_days", "应急结对：结对关系需重新确认的周期（日）", Decimal(180),
                      "本平台默认 [U]"),
        ParameterSpec("levy.over_quota_reward_multiple", "超比例奖励：每超 1 人奖励当地月最低工资的倍数（0=不奖励）",
                      Decimal(0), "内蒙古 2025-01-01 起 5 倍 [P]"),
    ]
}

# Values that change on a date after the catalogue default (key, effective from, value, source): the levy's
# periods are written as data, so "after 2027 the tiers end" is a row an administrator can move, not an `if`.
DATED_VALUES = [
    ("levy.wage_cap_multiple", date(2018, 4, 1), Decimal(2), "财税〔2018〕39号 [C]"),
    ("levy.tiers_in_force", date(2020, 1, 1), Decimal(1), "财政部公告2019年第98号 [C]"),
    ("levy.tiers_in_force", date(2028, 1, 1), Decimal(0), "公告2023年第8号 执行至 2027-12-31，如再延续请修改本行 [C]"),
    ("levy.small_enterprise_max_staff", date(2020, 1, 1), Decimal(30), "财政部公告2019年第98号 [C]"),
    ("levy.small_enterprise_max_staff", date(2028, 1, 1), Decimal(0), "公告2023年第8号 执行至 2027-12-31 [C]"),
    ("levy.over_quota_reward_multiple", date(2025, 1, 1), Decimal(5), "内蒙古 [P]"),
    ("employment.minimum_wage_monthly", date(2021, 12, 1), Decimal(1980), "内蒙古一类地区 [U]"),
    # 当地上年度职工平均工资: placeholders for the demo until the statistics bureau's figures are entered.
    *[("levy.local_average_wage", date(year, 1, 1), Decimal(wage), "示例值 [U]：请按统计部门公布数更新")
      for year, wage in [(2018, 70000), (2019, 76000), (2020, 81000), (2021, 86000), (2022, 92000),
                         (2023, 98000), (2024, 103000), (2025, 108000), (2026, 112000)]],
]
