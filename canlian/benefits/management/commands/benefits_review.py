from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from canlian.benefits.selectors import persons_to_review
from canlian.benefits.services import entitlement_review, recoveries_detect
from canlian.registry.models import Person


class Command(BaseCommand):
    help = "每日核查：按当日的人员、证件和救助身份复核所有享受中或暂停的待遇（补上事件未覆盖的变化，如证件到期）"

    def add_arguments(self, parser):
        parser.add_argument("--on", type=date.fromisoformat, help="核查日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, on, **options):
        on = on or timezone.localdate()
        reviewed = changed = 0
        for person_id in list(persons_to_review(on=on)):
            changed += len(entitlement_review(person=Person.objects.get(pk=person_id), on=on, cause="每日核查"))
            reviewed += 1
        recovered = recoveries_detect(on=on)
        self.stdout.write(f"{on} 每日核查：复核 {reviewed} 人，变更 {changed} 项待遇，新增待追缴 {recovered} 笔。")
