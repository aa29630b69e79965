from django.core.management.base import BaseCommand, CommandError

from canlian.services.demo import demo_services_load


class Command(BaseCommand):
    help = "载入二连浩特演示用的服务机构、辅助器具目录、康复协调员、2020年需求与服务记录和2026年入户调查（可重复执行）"

    def handle(self, *args, **options):
        try:
            result = demo_services_load()
        except LookupError:
            raise CommandError("请先运行 canlian load_demo 和 canlian load_demo_employment。") from None
        if not result["created"]:
            self.stdout.write("服务演示数据已存在，未作修改。")
            return
        needs = result["needs"]
        self.stdout.write(
            f"服务演示数据：{result['institutions']} 家服务机构，{result['products']} 种辅助器具，"
            f"{result['coordinators']} 名康复协调员（含已卸任），{result['services']} 条服务记录。")
        for what, label in (("rehabilitation", "基本康复服务率"), ("assistive_device", "辅助器具适配率")):
            needing, served = result["coverage_2020"][what]
            self.stdout.write(f"  2020 年{label}：{served}/{needing} = {result['percent_2020'][what]}%")
        self.stdout.write(
            f"  2026 年入户调查：已完成 {result['visited']}/{result['due']} 人，{result['unfinished']} 人未填完；"
            f"发现需求 {sum(needs.values())} 项（待转介 {needs['open']}，服务中 {needs['referred']}，"
            f"已满足 {needs['met']}，已关闭 {needs['closed']}），转介超期 {result['overdue']} 项；"
            f"{result['children_waiting']} 名儿童待立案。")
        steps = result["modifications"]
        self.stdout.write(f"  家庭无障碍改造：已验收 {steps['accepted']} 户，进行中 "
                          f"{steps['applied'] + steps['surveyed'] + steps['in_works']} 户，已取消 {steps['cancelled']} 户。")
