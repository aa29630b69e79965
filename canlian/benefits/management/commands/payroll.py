"""`canlian payroll run 2026-12 --user U`: build a month's payroll (draft) from the shell or a scheduler."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from canlian.areas.models import Area
from canlian.benefits import services
from canlian.benefits.choices import Scheme
from canlian.benefits.payroll import PAYROLL_SCHEMES
from canlian.exchange import values


class Command(BaseCommand):
    help = "生成月度发放表草稿：canlian payroll run 2026-12 --user USER [--scheme S] [--area CODE] [--replace]"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run"], help="run：生成发放表")
        parser.add_argument("month", help="发放月份，如 2026-12")
        parser.add_argument("--user", required=True, help="记为经办人的残联工作人员用户名")
        parser.add_argument("--scheme", choices=PAYROLL_SCHEMES, help="补贴项目（默认：生活补贴和护理补贴都生成）")
        parser.add_argument("--area", help="发放区域的12位区划代码（默认：该工作人员负责的第一个区域）")
        parser.add_argument("--replace", action="store_true", help="按最新数据重新生成本月尚未复核的草稿")

    def handle(self, *args, action, month, user, scheme, area, replace, **options):
        by = get_user_model().objects.filter(username=user, is_active=True).first()
        if by is None:
            raise CommandError(f"没有启用的用户 {user}")
        try:
            month = values.month(month)
        except values.CellError as error:
            raise CommandError(f"发放月份：{error}") from None
        covered = Area.objects.filter(code=area).first() if area else by.areas.order_by("path").first()
        if covered is None:
            raise CommandError(f"没有区划代码为 {area} 的区域" if area else f"{user} 没有负责的区域")
        failed = []
        for code in [scheme] if scheme else PAYROLL_SCHEMES:
            try:
                run = services.payroll_run_build(scheme=code, month=month, area=covered, by=by, replace_draft=replace)
            except ValidationError as error:
                failed.append(f"{Scheme(code).label}：{'；'.join(error.messages)}")
                continue
            self.stdout.write(f"已生成 {run}（{covered.name}）发放表草稿 #{run.pk}：{run.person_count} 人，"
                              f"{run.total_amount:.2f} 元，其中补发 {run.arrears_amount:.2f} 元。请在“月度发放”页复核、审批。")
        if failed:
            raise CommandError("\n".join(failed))
