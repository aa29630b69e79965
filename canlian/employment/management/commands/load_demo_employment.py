from django.core.management.base import BaseCommand, CommandError

from canlian.employment.demo import demo_employment_load


class Command(BaseCommand):
    help = "载入二连浩特演示用的实名就业记录、用人单位及其2025、2026年度按比例就业年审、培训和创业扶持（可重复执行）"

    def handle(self, *args, **options):
        try:
            result = demo_employment_load()
        except LookupError:
            raise CommandError("请先运行 canlian load_demo 载入演示区域和账号。") from None
        if not result["created"]:
            self.stdout.write("就业演示数据已存在，未作修改。")
            return
        rate = result["rate"]
        self.stdout.write(
            f"就业演示数据：{result['records']} 条实名就业记录（{rate.on} 就业年龄段 {rate.working_age} 人、"
            f"就业 {rate.employed} 人，就业率 {rate.percent}%），{result['employers']} 家用人单位，"
            f"{sum(result['declarations'].values())} 份年审申报，{result['enrolments']} 人次培训，"
            f"{result['supports']} 项创业扶持。")
        for year, totals in result["totals"].items():
            self.stdout.write(f"  {year} 年度年审：已审核的应缴保障金 {totals['levy']:,} 元，超比例奖励 {totals['reward']:,} 元，"
                              f"已缴款 {totals['paid']:,} 元（含滞纳金）。")
