"""The public levy calculation (保障金测算) on the platform's API: POST /api/v1/levy/calculation, no token.

The same calculation as the annual review and the public calculator page, so an employer's estimate agrees with
the review to the fen when the counted employees agree.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema

from canlian.employment import review
from canlian.employment.choices import EmployerKind
from canlian.exchange.api import ApiError, api
from canlian.exchange.api_schemas import ErrorOut
from canlian.registry.rules import add_years

MAX_AMOUNT = Decimal("1e11")


class LevyCalculationIn(Schema):
    declared_on: date | None = Field(None, description="申报日期：按这一天有效的政策计算；不填为今天",
                                     examples=["2026-06-30"])
    employer_kind: EmployerKind = Field(description="单位类型：enterprise 企业 / government 机关 / "
                                                    "institution 事业单位 / social_organisation 社会团体等")
    staff_count: Decimal = Field(ge=0, le=10_000_000, max_digits=10, decimal_places=2,
                                 description="上年在职职工年平均人数，可有两位小数", examples=["45"])
    average_wage: Decimal = Field(ge=0, lt=MAX_AMOUNT, max_digits=14, decimal_places=2,
                                  description="上年在职职工年平均工资（元）", examples=["90000.00"])
    severe_employees: int = Field(0, ge=0, le=100_000, description="一、二级残疾职工人数（每人按 2 人计）")
    other_employees: int = Field(0, ge=0, le=100_000, description="三、四级残疾职工人数")


class StepOut(Schema):
    title: str
    working: str = Field(description="算式，如“45 人 × 1.5% = 0.675 人”")
    note: str


class LevyCalculationOut(Schema):
    declared_on: date
    required: str = Field(description="应安排残疾人就业人数")
    shortfall: str = Field(description="差额人数")
    wage_used: str = Field(description="计征工资（元）")
    full_amount: str = Field(description="按规定应缴金额（元），分档减缴前")
    payable_percent: str = Field(description="分档减缴后按应缴额的百分之几缴纳")
    levy: str = Field(description="应缴残疾人就业保障金（元），精确到分")
    reward: str = Field(description="超比例安排奖励（元）")
    exempt: bool = Field(description="是否属小微企业暂免征收")
    steps: list[StepOut]


@api.post("/levy/calculation", response={200: LevyCalculationOut, 422: ErrorOut}, summary="残疾人就业保障金测算",
          description="公开接口，无需令牌。输入上年职工人数、平均工资和残疾职工人数，返回应缴金额和逐步的计算过程（中文）。"
                      "与残联年审使用同一计算，金额精确到分。")
def levy_calculation(request, payload: LevyCalculationIn):
    today = timezone.localdate()
    declared_on = payload.declared_on or today
    if declared_on.year < 2015 or declared_on > add_years(today, 1):
        raise ApiError(422, "declared_on_out_of_range", _("申报日期应在 2015 年以后、明年以前。"))
    result = review.levy_estimate(declared_on=declared_on, employer_kind=payload.employer_kind.value,
                                  staff_count=payload.staff_count, average_wage=payload.average_wage,
                                  severe_employees=payload.severe_employees, other_employees=payload.other_employees)
    return {"declared_on": declared_on, **result.as_json()}
