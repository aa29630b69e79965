from django.core.management.base import BaseCommand

from canlian.portal.demo import demo_portal_load
from canlian.registry.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "载入网上办事演示居民账户（已有时不作修改）"

    def handle(self, *args, **options):
        self.stdout.write(f"网上办事 http://127.0.0.1:8000/portal/ 演示居民（用手机号登录，密码 {DEMO_PASSWORD}）：")
        for phone, name in demo_portal_load():
            self.stdout.write(f"  {phone}  {name}")
