from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from canlian.areas.models import Area
from canlian.indicators import reports
from canlian.registry.demo import CITY


class Command(BaseCommand):
    help = "年度监测报告：canlian report annual 2025 --format pdf|xlsx [--area 区划代码] [--output 文件]"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["annual"])
        parser.add_argument("year", type=int)
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("--area", default="", help="区划代码（默认：最上级区域）")
        parser.add_argument("--output", default="")

    def handle(self, *args, **options):
        area = (Area.objects.filter(code=options["area"]).first() if options["area"]
                else Area.objects.filter(parent__isnull=True).order_by("code").first())
        if area is None:
            raise CommandError(f"没有区划代码为 {options['area'] or CITY[0]} 的区域。")
        kind = options["format"]
        content = reports.annual_pdf(area=area, year=options["year"]) if kind == "pdf" else \
            reports.annual_xlsx(area=area, year=options["year"])
        target = Path(options["output"] or f"年度监测报告_{area.name}_{options['year']}.{kind}")
        target.write_bytes(content)
        self.stdout.write(f"已生成 {target}（{len(content):,} 字节）。")
