from django.core.management.base import BaseCommand
from django.utils import timezone

from canlian.indicators import services
from canlian.indicators.demo import demo_watchlist_load
from canlian.indicators.models import Snapshot

FIRST_YEAR = 2020  # the plan's baseline year (domain.md §6)


class Command(BaseCommand):
    help = "计算演示数据 2020 年至今每年的规划指标快照，并载入防止返贫监测演示数据（已有时不作修改）"

    def handle(self, *args, **options):
        if Snapshot.objects.exists():
            self.stdout.write("指标快照已存在，未作修改。")
        else:
            for year in range(FIRST_YEAR, timezone.localdate().year + 1):
                count = services.indicators_compute(year=year)
                self.stdout.write(f"{year} 年规划指标：{count} 条快照。")
        watch = demo_watchlist_load()
        self.stdout.write(f"防止返贫监测：{watch['flags']} 项风险。")
