"""The indicators the plan is judged by (domain.md §5), with their 2025 targets: seeded by a migration, then data
an administrator edits (names, targets, new indicators over the registered measures)."""

from decimal import Decimal

# code, name, measure ("" = the platform does not hold this data yet), kind, source, {year: target}
CATALOGUE = [
    ("registered", "在册残疾人数", "registered", "monitored", "规划基数（2022 年 773 人）", {}),
    ("certified", "持证残疾人数", "certified", "monitored", "规划基数（2022 年 766 人）", {}),
    ("severe", "一、二级残疾人数", "severe", "monitored", "规划基数（2022 年 318 人）", {}),
    ("non_severe", "三、四级残疾人数", "non_severe", "monitored", "规划基数（2022 年 448 人）", {}),
    ("working_age", "就业年龄段残疾人数", "working_age", "monitored", "规划基数（2022 年 433 人）", {}),
    ("employed", "就业年龄段已就业人数", "employed", "monitored", "规划基数（2022 年 227 人）", {}),
    ("employment_rate", "就业年龄段残疾人就业率", "employment_rate", "expected", "二连浩特“十四五”规划（2022 年 52.42%）", {}),
    ("income_growth", "残疾人家庭人均收入年均增长（%）", "", "expected", "内政发〔2021〕17号", {2025: Decimal("7.5")}),
    ("training", "城乡残疾人职业技能培训人次", "training", "expected", "内政发〔2021〕17号", {}),
    ("dibao", "符合条件的残疾人纳入最低生活保障比例", "", "binding", "内政发〔2021〕17号", {2025: Decimal(100)}),
    ("living_allowance", "困难残疾人生活补贴覆盖率", "living_allowance", "binding", "内政发〔2021〕17号",
     {year: Decimal(100) for year in range(2021, 2026)}),
    ("nursing_allowance", "重度残疾人护理补贴覆盖率", "nursing_allowance", "binding", "内政发〔2021〕17号",
     {year: Decimal(100) for year in range(2021, 2026)}),
    ("pension_insurance", "残疾人基本养老保险参保率", "pension_insurance", "expected", "内政发〔2021〕17号",
     {2025: Decimal(90)}),
    ("medical_insurance", "残疾人基本医疗保险参保率", "medical_insurance", "expected", "内政发〔2021〕17号",
     {2025: Decimal(95)}),
    ("rehabilitation", "有需求的持证残疾人基本康复服务率", "rehabilitation", "binding", "国发〔2021〕10号 85%，本市 90%",
     {2025: Decimal(90)}),
    ("assistive_device", "有需求的持证残疾人辅助器具适配率", "assistive_device", "binding", "国发〔2021〕10号 85%，本市 90%",
     {2025: Decimal(90)}),
    ("compulsory_education", "适龄视力、听力、智力残疾儿童少年义务教育入学率", "compulsory_education", "binding",
     "国发〔2021〕10号", {2025: Decimal(97)}),
    ("home_modifications", "困难重度残疾人家庭无障碍改造户数", "home_modifications", "expected", "二连浩特“十四五”规划", {}),
    ("new_jobs", "新增残疾人就业人数（“50 就业”）", "new_jobs", "expected", "二连浩特“十四五”规划", {2025: Decimal(50)}),
    ("new_businesses", "扶持残疾人创业人数（“50 创业”）", "new_businesses", "expected", "二连浩特“十四五”规划",
     {2025: Decimal(50)}),
    ("coordinators", "康复协调员配备（每 80—150 人 1 名）", "", "expected", "二连浩特“十四五”规划", {}),
    ("community_officers", "社区（嘎查）专职委员覆盖率", "community_officers", "binding", "二连浩特“十四五”规划", {2025: Decimal(100)}),
    ("disabled_cadres", "残联干部中残疾人比例", "disabled_cadres", "expected", "二连浩特“十四五”规划", {2025: Decimal(15)}),
]


def catalogue_load(indicator_model, target_model) -> None:
    """Create the catalogue's indicators and targets that are missing (the migration passes its historical models;
    a test database emptied between tests passes the real ones)."""
    for order, (code, name, measure, kind, source, targets) in enumerate(CATALOGUE, start=1):
        indicator, _created = indicator_model.objects.get_or_create(
            code=code, defaults={"name": name, "measure": measure, "kind": kind, "source": source, "order": order})
        for year, value in targets.items():
            target_model.objects.get_or_create(indicator=indicator, year=year, defaults={"value": value})
