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
    ]
}
