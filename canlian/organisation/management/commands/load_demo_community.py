from django.core.management.base import BaseCommand

from canlian.organisation.demo import demo_organisation_load
from canlian.rights.demo import demo_cases_load
from canlian.volunteers.demo import demo_volunteers_load


class Command(BaseCommand):
    help = "载入组织建设、维权案件、志愿助残和应急结对演示数据（已有时不作修改）"

    def handle(self, *args, **options):
        organisation = demo_organisation_load()
        self.stdout.write(f"组织建设：{organisation['posts']} 名专职委员在岗。")
        cases = demo_cases_load()
        self.stdout.write(f"维权案件：{cases['cases']} 件。")
        volunteers = demo_volunteers_load()
        self.stdout.write(f"志愿助残：{volunteers['volunteers']} 名志愿者；应急需求登记 {volunteers['profiles']} 人。")
