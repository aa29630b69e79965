"""The employment security levy (残疾人就业保障金) and the count of an employer's disabled staff, as pure functions.

levy = (staff × ratio − disabled counted) × average wage (财税〔2015〕72号), the wage capped at a multiple of the
local average (财税〔2018〕39号), then the tiers and the small-enterprise exemption while they are in force
(财政部公告2019年第98号, 2023年第8号). Every step is returned as a line of arithmetic in Chinese, the way a
federation officer would write it out for the employer; the review, the decision letter, the public calculator
and its API all show these same lines.

Money is rounded to the fen (ROUND_HALF_UP) twice and only twice: the amount before the tiers, and the amount
payable. Counts of persons are never rounded: the shortfall may be fractional (0.675 人).
"""

from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from canlian.common.decision import Decision, Reason
from canlian.common.numbers import FEN, money, number
from canlian.employment.choices import EmployerKind, Rejection
from canlian.registry.choices import Grade

NO_MONEY = Decimal("0.00")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LevyParameters:
    """The levy's policy values in force on the day of filing (parameters with effective dates)."""

    on: date
    quota_ratio_percent: Decimal
    wage_cap_multiple: Decimal  # 0: no cap
    local_average_wage: Decimal
    tiers_in_force: bool
    tier_threshold_percent: Decimal
    tier_upper_payable_percent: Decimal
    tier_lower_payable_percent: Decimal
    small_enterprise_max_staff: Decimal  # 0: no exemption
    over_quota_reward_multiple: Decimal  # 0: no reward
    minimum_wage_monthly: Decimal

    def as_json(self) -> dict:
        return {key: value.isoformat() if isinstance(value, date) else value if isinstance(value, bool) else str(value)
                for key, value in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> "LevyParameters":
        return cls(**{key: date.fromisoformat(value) if key == "on" else value if isinstance(value, bool)
                      else Decimal(value) for key, value in data.items()})


@dataclass(frozen=True)
class LevyInputs:
    """What the employer declares, after the review has counted its disabled staff."""

    employer_kind: str
    staff_count: Decimal  # 上年在职职工年平均人数
    average_wage: Decimal  # 上年在职职工年平均工资
    disabled_counted: Decimal  # 审核计入的残疾人就业人数（一、二级按 2 人）


@dataclass(frozen=True)
class Step:
    title: str
    working: str  # the arithmetic, e.g. "45 × 1.5% = 0.675 人"
    note: str = ""


@dataclass(frozen=True)
class LevyResult:
    required: Decimal
    shortfall: Decimal
    wage_used: Decimal
    full_amount: Decimal
    payable_percent: Decimal
    levy: Decimal
    reward: Decimal
    exempt: bool
    steps: tuple[Step, ...]

    def as_json(self) -> dict:
        """Plain values for JSON (amounts as strings so no float ever touches money)."""
        return {key: (str(value) if isinstance(value, Decimal) else value) for key, value in asdict(self).items()}


def levy_calculate(inputs: LevyInputs, params: LevyParameters, *, explain: bool = True) -> LevyResult:
    """The levy payable (or the over-quota reward) with each step of the arithmetic explained; `explain=False`
    leaves the steps out (the same arithmetic, for a province's review, which shows them later on demand)."""
    steps: list[Step] = []
    staff, counted, ratio = inputs.staff_count, inputs.disabled_counted, params.quota_ratio_percent

    required = staff * ratio / HUNDRED
    if explain:
        steps.append(Step(_("应安排残疾人就业人数"), _("%(staff)s 人 × %(ratio)s%% = %(required)s 人") % {
            "staff": number(staff), "ratio": number(ratio), "required": number(required)},
            _("上年在职职工年平均人数 × 规定比例")))
        steps.append(Step(_("已安排残疾人就业人数（审核计入）"), _("%(counted)s 人") % {"counted": number(counted)},
                          _("一、二级残疾职工按 2 人计算")))
    if explain and staff > 0:
        actual_percent = (counted * HUNDRED / staff).quantize(FEN, rounding=ROUND_DOWN)
        steps.append(Step(_("实际安排比例"), _("%(counted)s ÷ %(staff)s = %(percent)s%%") % {
            "counted": number(counted), "staff": number(staff), "percent": actual_percent}))

    zero = Decimal(0)
    if counted >= required:
        if explain:
            steps.append(Step(_("是否达到规定比例"), _("%(counted)s ≥ %(required)s，已达到规定比例，无需缴纳保障金") % {
                "counted": number(counted), "required": number(required)}))
        reward = _over_quota_reward(counted - required, params, steps, explain)
        return LevyResult(required, zero, zero, NO_MONEY, zero, NO_MONEY, reward, False, tuple(steps))

    shortfall = required - counted
    if explain:
        steps.append(Step(_("差额人数"), _("%(required)s − %(counted)s = %(shortfall)s 人") % {
            "required": number(required), "counted": number(counted), "shortfall": number(shortfall)}))

    wage_used = inputs.average_wage
    if params.wage_cap_multiple > 0:
        cap = (params.local_average_wage * params.wage_cap_multiple).quantize(FEN)
        if wage_used > cap:
            if explain:
                steps.append(Step(_("计征工资"), _("%(wage)s 元 > %(multiple)s × %(local)s 元，按 %(cap)s 元计算") % {
                    "wage": money(wage_used), "multiple": number(params.wage_cap_multiple),
                    "local": money(params.local_average_wage), "cap": money(cap)},
                    _("年平均工资超过当地社会平均工资 %(multiple)s 倍的，按 %(multiple)s 倍计算") % {
                        "multiple": number(params.wage_cap_multiple)}))
            wage_used = cap
        else:
            if explain:
                steps.append(Step(_("计征工资"), _("%(wage)s 元（未超过 %(multiple)s × %(local)s = %(cap)s 元）") % {
                    "wage": money(wage_used), "multiple": number(params.wage_cap_multiple),
                    "local": money(params.local_average_wage), "cap": money(cap)}))
    else:
        if explain:
            steps.append(Step(_("计征工资"), _("%(wage)s 元（当时不设上限）") % {"wage": money(wage_used)}))

    full_amount = (shortfall * wage_used).quantize(FEN, rounding=ROUND_HALF_UP)
    if explain:
        steps.append(Step(_("按规定应缴金额"), _("%(shortfall)s 人 × %(wage)s 元 = %(amount)s 元") % {
            "shortfall": number(shortfall), "wage": money(wage_used), "amount": money(full_amount)}))

    small = params.small_enterprise_max_staff
    if small > 0 and inputs.employer_kind == EmployerKind.ENTERPRISE and staff <= small:
        if explain:
            steps.append(Step(_("小微企业暂免征收"), _("在职职工 %(staff)s 人 ≤ %(small)s 人，本年度应缴 0.00 元") % {
                "staff": number(staff), "small": number(small)}, _("在职职工总数 %(small)s 人（含）以下的企业暂免征收") % {
                    "small": number(small)}))
        return LevyResult(required, shortfall, wage_used, full_amount, zero, NO_MONEY, NO_MONEY, True, tuple(steps))

    if params.tiers_in_force:
        # counted ÷ staff ≥ threshold%, compared without dividing so 0.99% and 1.00% fall where they should.
        if counted * HUNDRED >= staff * params.tier_threshold_percent:
            payable = params.tier_upper_payable_percent
            condition = _("实际安排比例达到 %(t)s%%（含）以上但未达到规定比例") % {
                "t": number(params.tier_threshold_percent)}
        else:
            payable = params.tier_lower_payable_percent
            condition = _("实际安排比例低于 %(t)s%%") % {"t": number(params.tier_threshold_percent)}
        levy = (full_amount * payable / HUNDRED).quantize(FEN, rounding=ROUND_HALF_UP)
        if explain:
            steps.append(Step(_("分档减缴"), _("%(amount)s 元 × %(payable)s%% = %(levy)s 元") % {
                "amount": money(full_amount), "payable": number(payable), "levy": money(levy)},
                _("%(condition)s，按应缴额的 %(payable)s%% 缴纳") % {"condition": condition, "payable": number(payable)}))
    else:
        payable, levy = HUNDRED, full_amount
        if explain:
            steps.append(Step(_("应缴残疾人就业保障金"), _("%(levy)s 元") % {"levy": money(levy)},
                              _("当时未实行分档减缴")))
    return LevyResult(required, shortfall, wage_used, full_amount, payable, levy, NO_MONEY, False, tuple(steps))


def _over_quota_reward(surplus: Decimal, params: LevyParameters, steps: list[Step], explain: bool) -> Decimal:
    """Nothing to pay; the Inner Mongolia reward for each whole person above the quota, where in force."""
    extra = surplus.to_integral_value(rounding=ROUND_DOWN)
    if params.over_quota_reward_multiple <= 0 or extra < 1:
        return NO_MONEY
    reward = (extra * params.over_quota_reward_multiple * params.minimum_wage_monthly).quantize(FEN)
    if explain:
        steps.append(Step(_("超比例奖励"), _("%(extra)s 人 × %(multiple)s × %(wage)s 元 = %(reward)s 元") % {
            "extra": number(extra), "multiple": number(params.over_quota_reward_multiple),
            "wage": money(params.minimum_wage_monthly), "reward": money(reward)},
            _("超过规定比例的人数按整数计，每人奖励当地月最低工资标准的 %(multiple)s 倍") % {
                "multiple": number(params.over_quota_reward_multiple)}))
    return reward


def late_surcharge(*, unpaid: Decimal, due_on: date, paid_on: date, per_mille: Decimal) -> Decimal:
    """滞纳金: per_mille ‰ of the unpaid amount for each day after the due date (《残疾人就业条例》第27条)."""
    days = (paid_on - due_on).days
    if days <= 0 or unpaid <= 0:
        return NO_MONEY
    return (unpaid * per_mille / 1000 * days).quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class EmployeeCheckParameters:
    """The values one review year's employee checks use: all read on the last day of the declared year."""

    year_end: date
    working_age_min: int
    working_age_max: int
    minimum_wage_monthly: Decimal
    severe_counts_as: Decimal


@dataclass(frozen=True)
class EmployeeFacts:
    """What the registry and the declaration say about one declared employee."""

    registered: bool  # a person with this ID number is on the register
    certificate_grade: int | None  # grade of the certificate valid on the year's last day; None without one
    birth_date: date | None
    monthly_wage: Decimal
    social_insurance: bool
    contract_one_year: bool
    # Another employer with a prior claim: its decision already counts the person, or it filed earlier (then lower
    # declaration id) with answers that pass their own checks (wage, insurance, contract).
    declared_earlier_by: str = ""


@dataclass(frozen=True)
class EmployeeCheck:
    counted: Decimal  # 0 when rejected
    rejection: str  # "" when counted, else the first failing Rejection
    decision: Decision


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def employee_check(facts: EmployeeFacts, params: EmployeeCheckParameters) -> EmployeeCheck:
    """Whether a declared employee counts towards the quota, and as how many (一、二级按 2 人)."""
    year = params.year_end.year
    checks: list[tuple[str, Reason]] = []
    checks.append((Rejection.NOT_REGISTERED, Reason(facts.registered, _("已在本平台登记") if facts.registered
                                                    else Rejection.NOT_REGISTERED.label)))
    has_card = facts.certificate_grade is not None
    checks.append((Rejection.NO_VALID_CERTIFICATE, Reason(
        has_card, _("%(year)s 年末持有效残疾人证（%(grade)s）") % {"year": year, "grade": Grade(facts.certificate_grade).label}
        if has_card else _("%(year)s 年 12 月 31 日没有有效的残疾人证（未持证、已过期或注销）") % {"year": year})))
    in_age = facts.birth_date is not None and (
        _age_on(facts.birth_date, params.year_end) >= params.working_age_min
        and _age_on(facts.birth_date, date(year, 1, 1)) <= params.working_age_max)
    checks.append((Rejection.NOT_WORKING_AGE, Reason(in_age, _("%(year)s 年内处于 %(lo)s—%(hi)s 岁就业年龄段") % {
        "year": year, "lo": params.working_age_min, "hi": params.working_age_max} if in_age
        else _("%(year)s 年内不在 %(lo)s—%(hi)s 岁就业年龄段") % {
        "year": year, "lo": params.working_age_min, "hi": params.working_age_max})))
    paid_enough = facts.monthly_wage >= params.minimum_wage_monthly
    checks.append((Rejection.BELOW_MINIMUM_WAGE, Reason(paid_enough, _("月工资 %(wage)s 元%(cmp)s当地最低工资 %(min)s 元") % {
        "wage": money(facts.monthly_wage), "cmp": _("不低于") if paid_enough else _("低于"),
        "min": money(params.minimum_wage_monthly)})))
    checks.append((Rejection.NO_SOCIAL_INSURANCE, Reason(
        facts.social_insurance, _("已缴纳社会保险") if facts.social_insurance else _("未缴纳社会保险"))))
    checks.append((Rejection.SHORT_CONTRACT, Reason(
        facts.contract_one_year, _("签订一年以上劳动合同（服务协议）") if facts.contract_one_year
        else _("劳动合同（服务协议）不足一年"))))
    alone = not facts.declared_earlier_by
    checks.append((Rejection.DECLARED_ELSEWHERE, Reason(alone, _("同一年度未被其他单位申报") if alone else _(
        "同一年度已由“%(employer)s”先行申报，不能重复计算") % {"employer": facts.declared_earlier_by})))

    failed = [code for code, reason in checks if not reason.ok]
    decision = Decision.of([reason for _code, reason in checks])
    if failed:
        return EmployeeCheck(Decimal(0), failed[0], decision)
    counted = params.severe_counts_as if facts.certificate_grade <= 2 else Decimal(1)
    return EmployeeCheck(counted, "", decision)
