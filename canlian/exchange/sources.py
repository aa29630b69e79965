"""The lists departments send, each declared as columns (Chinese headers with synonyms) and what a row means.

A column says which staged field it fills (`id_number`, `name`, `on`, `until`, `code`, `detail`, or
`data.<key>` for the legacy registry's many fields) and how its cell is read. The services in services.py
apply each source; the declarations here are all that differs between sources.
"""

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canlian.areas.models import Area
from canlian.common.ids import IdNumberError, birth_date_of, parse_certificate_number
from canlian.exchange import values
from canlian.exchange.models import DepartmentRecord, DepartmentToken
from canlian.exchange.values import CellError
from canlian.parameters.selectors import parameter_int
from canlian.registry.choices import ETHNICITY_CHOICES, AssistanceKind, HukouType, LifeStatus
from canlian.registry.services import clean_person_name


@dataclass
class Context:
    """What reading a row may need besides the row: the day, the list's date and area."""

    today: date
    list_date: date
    area: Area
    _areas: dict[str, Area | None] = field(default_factory=dict)

    def area_named(self, raw) -> Area:
        """An area under the list's area by its name or 12-digit code (居委会/嘎查 as officials write them)."""
        key = values.text(raw)
        if key not in self._areas:
            subtree = Area.objects.filter(path__startswith=self.area.path)
            self._areas[key] = (subtree.filter(code=key).first() or subtree.filter(name=key).first())
        found = self._areas[key]
        if found is None:
            raise CellError(_("“%(v)s”不是“%(area)s”下的社区或嘎查：请填写区划名称（如 北疆社区）或12位区划代码。")
                            % {"v": key, "area": self.area.name})
        return found


Parser = Callable[[object, Context], object]


@dataclass(frozen=True)
class Column:
    target: str
    label: str
    parse: Parser
    synonyms: tuple[str, ...] = ()
    required: bool = True  # the column must be in the file and each cell filled

    def names(self) -> set[str]:
        return {header_key(name) for name in (self.label, *self.synonyms)}


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    department: str
    scope: str  # the API token scope that may push this list
    columns: tuple[Column, ...]
    duplicate_key: tuple[str, ...]  # two rows with the same values here are the same entry
    record_kind: str = ""  # for department records: the DepartmentRecord kind
    description: str = ""

    @functools.cached_property
    def has_data(self) -> bool:
        return any(column.target.startswith("data.") for column in self.columns)

    @property
    def required(self) -> list[Column]:
        return [column for column in self.columns if column.required]


def header_key(raw) -> str:
    """A header as compared: full-width folded, spaces, '*' markers and bracketed notes removed."""
    text = values.CONTROL.sub("", unicodedata.normalize("NFKC", str(raw or "")))
    for opening, closing in (("(", ")"), ("[", "]")):
        while opening in text and closing in text.split(opening, 1)[1]:
            head, rest = text.split(opening, 1)
            text = head + rest.split(closing, 1)[1]
    return "".join(text.split()).replace("*", "")


# --- cell readers bound to the context ------------------------------------------------------------

def _id(raw, ctx: Context) -> str:
    return values.id_number(raw, today=ctx.today)


def _name(raw, ctx: Context) -> str:
    try:
        return clean_person_name(values.text(raw, max_length=50))
    except ValidationError as error:
        raise CellError(error.messages[0]) from None


def _past_day(raw, ctx: Context) -> date:
    value = values.day(raw)
    if value > ctx.today:
        raise CellError(_("日期 %(d)s 在今天之后：请核对。") % {"d": value.isoformat()})
    if value.year < 1900:
        raise CellError(_("日期 %(d)s 过早：请核对年份。") % {"d": value.isoformat()})
    return value


def _any_day(raw, ctx: Context) -> date:
    value = values.day(raw)
    if not 1900 <= value.year <= 2100:
        raise CellError(_("日期 %(d)s 的年份不合理：请核对。") % {"d": value.isoformat()})
    return value


def _text(max_length: int) -> Parser:
    return lambda raw, ctx: values.text(raw, max_length=max_length)


def _words(words: dict[str, str], label: str) -> Parser:
    return lambda raw, ctx: values.choice(raw, words, label=label)


_ASSISTANCE_WORDS = {
    "低保": AssistanceKind.DIBAO, "城市低保": AssistanceKind.DIBAO, "农村低保": AssistanceKind.DIBAO,
    "农村牧区低保": AssistanceKind.DIBAO, "最低生活保障": AssistanceKind.DIBAO, "低保户": AssistanceKind.DIBAO,
    "低保边缘": AssistanceKind.NEAR_DIBAO, "低保边缘户": AssistanceKind.NEAR_DIBAO,
    "特困": AssistanceKind.EXTREME_POVERTY, "特困供养": AssistanceKind.EXTREME_POVERTY,
    "特困人员": AssistanceKind.EXTREME_POVERTY, "五保": AssistanceKind.EXTREME_POVERTY,
    "低收入": AssistanceKind.LOW_INCOME, "低收入家庭": AssistanceKind.LOW_INCOME,
}
_LIFE_EVENT_WORDS = {
    "死亡": LifeStatus.DECEASED, "去世": LifeStatus.DECEASED, "注销(死亡)": LifeStatus.DECEASED,
    "迁出": LifeStatus.MOVED_OUT, "户籍迁出": LifeStatus.MOVED_OUT, "迁移": LifeStatus.MOVED_OUT,
}
_HUKOU_WORDS = {
    "城镇": HukouType.URBAN, "非农业": HukouType.URBAN, "非农": HukouType.URBAN, "城市": HukouType.URBAN,
    "农业": HukouType.AGRICULTURAL, "牧业": HukouType.AGRICULTURAL, "农牧业": HukouType.AGRICULTURAL,
    "农村": HukouType.AGRICULTURAL,
}
_ETHNICITY_WORDS = {str(label): code for code, label in ETHNICITY_CHOICES} | {
    str(label).removesuffix("族"): code for code, label in ETHNICITY_CHOICES} | {
    code: code for code, _label in ETHNICITY_CHOICES}


def _ethnicity(raw, ctx: Context) -> str:
    value = values.text(raw)
    value = value.zfill(2) if value.isdigit() else value
    if value not in _ETHNICITY_WORDS:
        raise CellError(_("民族“%(v)s”无法识别：请填写民族名称（如 蒙古族）或代码 01–56。") % {"v": value})
    return _ETHNICITY_WORDS[value]


def _certificate_number(raw, ctx: Context) -> str:
    try:
        return str(parse_certificate_number(str(values.text(raw))))
    except IdNumberError as error:
        raise CellError(str(error)) from None


def _area(raw, ctx: Context) -> int:
    return ctx.area_named(raw).pk


def _category(raw, ctx: Context) -> int:
    return values.category(raw)


def _grade(raw, ctx: Context) -> int:
    return values.grade(raw)


# --- the sources ------------------------------------------------------------------------------------

ID = Column("id_number", gettext_lazy("身份证号"), _id,
            ("公民身份号码", "身份证号码", "证件号码", "身份证", "证件号", "身份证件号码", "公民身份证号"))
NAME = Column("name", gettext_lazy("姓名"), _name, ("人员姓名", "户主姓名", "名字", "儿童姓名", "残疾人姓名"))


def _record_source(key: str, kind: str, label, department, scope: str, start: tuple, organisation: tuple,
                   note: tuple = ()) -> Source:
    columns = [
        ID, NAME,
        Column("on", start[0], _past_day, start[1:]),
        Column("until", gettext_lazy("终止日期"), _any_day, ("停保日期", "到期日期", "结束日期", "离校日期", "解约日期"),
               required=False),
        Column("detail", organisation[0], _text(200), organisation[1:], required=False),
    ]
    if note:
        columns.append(Column("code", note[0], _text(20), note[1:], required=False))
    return Source(key=key, label=label, department=department, scope=scope, columns=tuple(columns),
                  duplicate_key=("id_number", "on"), record_kind=kind)


SOURCES: dict[str, Source] = {source.key: source for source in [
    Source(
        key="assistance", label=gettext_lazy("低保/特困/低保边缘名单"), department=gettext_lazy("民政局"),
        scope=DepartmentToken.Scope.PUSH_ASSISTANCE,
        columns=(
            ID, NAME,
            Column("code", gettext_lazy("救助类型"), _words(_ASSISTANCE_WORDS, gettext_lazy("救助类型")),
                   ("保障类型", "类别", "救助类别", "人员类别", "保障类别")),
            Column("on", gettext_lazy("起始日期"), _past_day,
                   ("享受日期", "纳入日期", "审批日期", "开始日期", "保障起始日期", "认定日期")),
        ),
        duplicate_key=("id_number", "code"),
        description=gettext_lazy("完整名单：名单上的人员取得（或保持）救助身份；在名单覆盖区域内、该救助类型下原有但名单上已没有的人员，"
                                 "自名单日期起失去该身份。"),
    ),
    Source(
        key="life_events", label=gettext_lazy("死亡和户籍迁出"), department=gettext_lazy("民政局、公安局"),
        scope=DepartmentToken.Scope.PUSH_LIFE_EVENTS,
        columns=(
            ID, NAME,
            Column("code", gettext_lazy("变动类型"), _words(_LIFE_EVENT_WORDS, gettext_lazy("变动类型")),
                   ("变更类型", "类型", "事项")),
            Column("on", gettext_lazy("变动日期"), _past_day, ("死亡日期", "迁出日期", "日期", "发生日期")),
            Column("detail", gettext_lazy("说明"), _text(200), ("备注", "迁往地", "迁入地", "原因"), required=False),
        ),
        duplicate_key=("id_number", "code"),
        description=gettext_lazy("不会直接改变人员状态：每一条都进入“状态变更核实”清单，由工作人员核实后确认。"),
    ),
    _record_source("medical_insurance", DepartmentRecord.Kind.MEDICAL_INSURANCE, gettext_lazy("基本医疗保险参保名单"),
                   gettext_lazy("医保局"), DepartmentToken.Scope.PUSH_INSURANCE,
                   (gettext_lazy("参保日期"), "参保时间", "起始日期", "缴费起始日期"),
                   (gettext_lazy("参保险种"), "险种", "参保类型")),
    _record_source("pension_insurance", DepartmentRecord.Kind.PENSION_INSURANCE,
                   gettext_lazy("城乡居民养老保险参保名单"), gettext_lazy("人力资源和社会保障局"),
                   DepartmentToken.Scope.PUSH_INSURANCE,
                   (gettext_lazy("参保日期"), "参保时间", "起始日期"), (gettext_lazy("经办机构"), "参保地")),
    _record_source("employment", DepartmentRecord.Kind.EMPLOYMENT, gettext_lazy("就业登记"),
                   gettext_lazy("人力资源和社会保障局"), DepartmentToken.Scope.PUSH_EMPLOYMENT,
                   (gettext_lazy("就业登记日期"), "就业日期", "登记日期", "起始日期"),
                   (gettext_lazy("用人单位"), "就业单位", "单位名称"),
                   (gettext_lazy("就业形式"), "就业类型", "就业方式")),
    _record_source("school", DepartmentRecord.Kind.SCHOOL, gettext_lazy("学籍（在校就读）"), gettext_lazy("教育局"),
                   DepartmentToken.Scope.PUSH_EDUCATION,
                   (gettext_lazy("入学日期"), "入学时间", "起始日期"), (gettext_lazy("学校"), "学校名称", "就读学校"),
                   (gettext_lazy("就读方式"), "安置方式", "年级")),
    _record_source("family_doctor", DepartmentRecord.Kind.FAMILY_DOCTOR, gettext_lazy("家庭医生签约"),
                   gettext_lazy("卫生健康委"), DepartmentToken.Scope.PUSH_HEALTH,
                   (gettext_lazy("签约日期"), "签约时间", "起始日期"), (gettext_lazy("签约机构"), "家庭医生团队", "签约医生")),
    Source(
        key="child_screening", label=gettext_lazy("0—14岁残疾儿童筛查"), department=gettext_lazy("卫生健康委"),
        scope=DepartmentToken.Scope.PUSH_HEALTH,
        columns=(
            ID, NAME,
            Column("on", gettext_lazy("筛查日期"), _past_day, ("筛查时间", "诊断日期")),
            Column("code", gettext_lazy("筛查结果"), _text(20), ("疑似残疾类别", "诊断结果", "结果")),
            Column("detail", gettext_lazy("筛查机构"), _text(100), ("医疗机构", "诊断机构"), required=False),  # ChildScreening.institution
            Column("data.area_id", gettext_lazy("所在社区"), _area, ("社区", "嘎查", "居住社区", "所在嘎查"),
                   required=False),
        ),
        duplicate_key=("id_number", "on"),
        description=gettext_lazy("名册中尚没有的儿童进入“残疾儿童筛查跟进”清单，以便早期干预。"),
    ),
    Source(
        key="legacy_registry", label=gettext_lazy("历史残疾人名册（首次导入）"), department=gettext_lazy("全国残疾人人口基础库"),
        scope="",  # never pushed by a department: a federation loads it once
        columns=(
            ID, NAME,
            Column("data.residence_area", gettext_lazy("居住社区"), _area, ("所在社区", "社区", "嘎查", "居住地")),
            Column("data.category", gettext_lazy("残疾类别"), _category, ("类别",)),
            Column("data.grade", gettext_lazy("残疾等级"), _grade, ("等级",)),
            Column("data.issued_on", gettext_lazy("发证日期"), _past_day, ("发证时间", "首次发证日期")),
            Column("data.certificate_number", gettext_lazy("残疾人证号"), _certificate_number, ("证号", "残疾证号"),
                   required=False),
            Column("data.valid_until", gettext_lazy("有效期至"), _any_day, ("有效期", "证件有效期"), required=False),
            Column("data.ethnicity", gettext_lazy("民族"), _ethnicity, (), required=False),
            Column("data.hukou_type", gettext_lazy("户籍类型"), _words(_HUKOU_WORDS, gettext_lazy("户籍类型")),
                   ("户口性质", "户籍性质"), required=False),
            Column("data.address", gettext_lazy("居住地址"), _text(200), ("地址", "家庭住址", "现住址"), required=False),
            Column("data.phone", gettext_lazy("联系电话"), _text(20), ("电话", "手机号", "手机", "联系方式"),
                   required=False),
        ),
        duplicate_key=("id_number",),
        description=gettext_lazy("平台首次使用时载入：名册中还没有的人员连同残疾人证一起登记；已登记的人员不作修改。"),
    ),
]}


def row_problems(source: Source, staged: dict, ctx: Context) -> list[tuple[str, str]]:
    """Checks across a row's cells (after each cell is read): (column label, message) for each problem."""
    problems = []
    if source.key == "assistance" and staged.get("on") and staged["on"] > ctx.list_date:
        problems.append((_("起始日期"), _("起始日期晚于名单日期 %(d)s：请核对。") % {"d": ctx.list_date.isoformat()}))
    if staged.get("on") and staged.get("until") and staged["until"] < staged["on"]:
        problems.append((_("终止日期"), _("终止日期早于起始日期：请核对。")))
    if source.key == "child_screening" and staged.get("id_number") and staged.get("on"):
        birth = birth_date_of(staged["id_number"])
        max_age = parameter_int("children.screening_max_age", on=staged["on"])
        age = staged["on"].year - birth.year - ((staged["on"].month, staged["on"].day) < (birth.month, birth.day))
        if age > max_age or staged["on"] < birth:
            problems.append((_("筛查日期"), _("筛查时儿童 %(age)d 岁，不在 0—%(max)d 岁筛查范围内：请核对身份证号和筛查日期。")
                             % {"age": age, "max": max_age}))
    if source.key == "legacy_registry":
        problems += _legacy_problems(staged.get("data") or {}, staged.get("id_number"))
    return problems


def _legacy_problems(data: dict, id_number: str | None) -> list[tuple[str, str]]:
    problems = []
    number = data.get("certificate_number")
    if number and id_number:
        parsed = parse_certificate_number(number)
        if parsed.id_number != id_number:
            problems.append((_("残疾人证号"), _("残疾人证号前18位与身份证号不一致：请核对。")))
        elif (parsed.category, parsed.grade) != (data.get("category"), data.get("grade")):
            problems.append((_("残疾人证号"), _("残疾人证号第19—20位（类别、等级）与所填残疾类别、等级不一致：请核对。")))
    issued, until = data.get("issued_on"), data.get("valid_until")
    if issued and until and until <= issued:
        problems.append((_("有效期至"), _("有效期至早于发证日期：请核对。")))
    return problems
