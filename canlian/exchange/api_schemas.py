"""What the department API accepts and answers (the OpenAPI document is generated from these)."""

from datetime import date
from enum import Enum

from ninja import Field, Schema

from canlian.exchange.sources import SOURCES

MAX_PUSH_ROWS = 10_000

# The lists a department may push: every source with a token scope (the legacy registry is loaded by the federation).
PushSource = Enum("PushSource", {key: key for key, source in SOURCES.items() if source.scope}, type=str)

Cell = str | int | float | None


class ErrorOut(Schema):
    code: str = Field(description="稳定的错误代码，供程序判断，如 token_invalid、scope_denied、rate_limited")
    message: str = Field(description="中文说明，可直接展示给经办人")
    errors: list[dict] | None = Field(None, description="请求内容有误时，逐项说明哪里有误")


class ListPushIn(Schema):
    list_date: date = Field(description="名单日期（名单统计截至的日期），不能晚于今天", examples=["2025-06-30"])
    area_code: str = Field(pattern=r"^[0-9]{12}$", description="名单覆盖区域的12位统计用区划代码，须在令牌的数据区域内",
                           examples=["152501000000"])
    rows: list[dict[str, Cell]] = Field(
        min_length=1, description=f"名单各行：中文列名 → 单元格的值，列名与文件导入相同；每次最多 {MAX_PUSH_ROWS} 行",
        examples=[[{"身份证号": "152501198001010118", "姓名": "张三丰", "救助类型": "低保", "起始日期": "2024-01-01"}]])
    commit: bool = Field(False, description="true：校验无误时直接导入（有错误行则整份不导入）；false：只校验（试运行），不修改任何数据")


class ProblemOut(Schema):
    row: int = Field(description="推送的第几行（第一行为 1）")
    column: str
    value: str
    message: str


class BatchOut(Schema):
    id: int
    source: str
    state: str = Field(description="queued / validated / committed / rejected / duplicate …")
    state_label: str
    message: str
    list_date: date
    area_code: str
    total_rows: int
    error_rows: int
    new_count: int
    changed_count: int
    ended_count: int
    unchanged_count: int
    problems: list[ProblemOut]


class VerificationOut(Schema):
    number: str
    valid: bool = Field(description="今天是否有效")
    status: str
    status_label: str
    category: int
    category_label: str
    grade: int
    grade_label: str
    proof_issued_on: date | None = Field(None, description="证明编号真实且属于此证时，证明的出具日期")


class ChildOut(Schema):
    id_number: str
    name: str
    birth_date: date
    sex: str = Field(description="M 男 / F 女")
    category: int
    grade: int
    area_code: str


class ChildrenOut(Schema):
    items: list[ChildOut]
    next_after: int | None = Field(description="下一页请以 after=此值 查询；为空表示已无更多")
