from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from canlian.indicators import services


class Command(BaseCommand):
    help = "按现有记录计算某年的规划指标快照：canlian indicators 2026 [--replace]"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--replace", action="store_true", help="重算已有快照的往年（更正）")

    def handle(self, *args, **options):
        try:
            count = services.indicators_compute(year=options["year"], replace=options["replace"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{options['year']} 年规划指标：{count} 条快照。")
