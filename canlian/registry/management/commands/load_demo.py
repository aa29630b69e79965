from django.core.management.base import BaseCommand

from canlian.registry.demo import DEMO_PASSWORD, DEMO_USERS, demo_load


class Command(BaseCommand):
    help = "Load the synthetic Erenhot demo registry (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        result = demo_load()
        if result["created"]:
            self.stdout.write(f"已生成演示数据：{result['persons']} 名残疾人。")
        else:
            self.stdout.write(f"演示数据已存在（{result['persons']} 名残疾人），未作改动。")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, display_name, role, _codes in DEMO_USERS:
            self.stdout.write(f"  {username:10s} {display_name}（{role.label}）")
