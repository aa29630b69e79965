import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand

from canlian.benefits.demo import demo_benefits_load


class Command(BaseCommand):
    help = "载入二连浩特演示用的补贴标准、享受资格、代发账户和2026年1—10月的发放记录（可重复执行）"

    def handle(self, *args, **options):
        with tempfile.TemporaryDirectory() as bank_files:
            result = demo_benefits_load(tmp_dir=Path(bank_files))
        if result["created"]:
            self.stdout.write(f"补贴演示数据：{result['entitlements']} 项享受资格，{result['runs']} 张已对账的发放表。")
        else:
            self.stdout.write("补贴演示数据已存在，未作修改。")
