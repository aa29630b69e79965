from datetime import date

from django.core.management.base import BaseCommand, CommandError

from canlian.indicators import services


class Command(BaseCommand):
    help = "防止返贫监测：按规则核查全部家庭（每晚运行）：canlian watchlist_sweep [--on YYYY-MM-DD]"

    def add_arguments(self, parser):
        parser.add_argument("--on", help="核查日期（默认今天）")

    def handle(self, *args, **options):
        try:
            on = date.fromisoformat(options["on"]) if options["on"] else None
        except ValueError:
            raise CommandError("日期请写成 2026-03-15 的格式。") from None
        result = services.watchlist_sweep(on=on)
        self.stdout.write(f"已核查 {result.households} 户：新识别风险 {result.opened} 项，条件已不满足 {result.cleared} 项。")
