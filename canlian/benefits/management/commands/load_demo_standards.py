from django.core.management.base import BaseCommand

from canlian.benefits.demo import demo_standards_load


class Command(BaseCommand):
    help = "载入二连浩特演示用的补贴标准（可重复执行）"

    def handle(self, *args, **options):
        self.stdout.write(f"补贴标准：新增 {demo_standards_load()} 条。")
