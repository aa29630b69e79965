from datetime import date

from django.core.management.base import BaseCommand, CommandError

from canlian.rights import services


class Command(BaseCommand):
    help = "维权案件：到期提醒和超期督办（每天运行）：canlian cases_sweep [--on YYYY-MM-DD]"

    def add_arguments(self, parser):
        parser.add_argument("--on", help="核查日期（默认今天）")

    def handle(self, *args, **options):
        try:
            on = date.fromisoformat(options["on"]) if options["on"] else None
        except ValueError:
            raise CommandError("日期请写成 2026-03-15 的格式。") from None
        result = services.cases_sweep(on=on)
        self.stdout.write(f"到期提醒 {result.reminded} 件，超期督办 {result.escalated} 件。")
