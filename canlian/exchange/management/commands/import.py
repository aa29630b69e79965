"""`canlian import SOURCE FILE [--commit]`: validate (and optionally apply) a department list from the shell."""

import sys
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from canlian.areas.models import Area
from canlian.exchange import services
from canlian.exchange.models import ImportBatch
from canlian.exchange.sources import SOURCES

SHOWN_PROBLEMS = 20


class Command(BaseCommand):
    help = "校验（加 --commit 则导入）一份部门名单：canlian import SOURCE FILE --user USER [--commit]"

    def add_arguments(self, parser):
        parser.add_argument("source", choices=sorted(SOURCES), help="数据来源")
        parser.add_argument("file", type=Path, help="XLSX、XLS 或 CSV 文件")
        parser.add_argument("--user", required=True, help="记为上传人和导入人的工作人员用户名")
        parser.add_argument("--area", help="名单覆盖区域的12位区划代码（默认：该工作人员负责的第一个区域）")
        parser.add_argument("--date", type=date.fromisoformat, help="名单日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--commit", action="store_true", help="校验后立即导入有效行")

    def handle(self, *args, source, file: Path, user, area, date, commit, **options):
        by = get_user_model().objects.filter(username=user, is_active=True).first()
        if by is None:
            raise CommandError(f"没有启用的用户 {user}")
        covered = Area.objects.filter(code=area).first() if area else by.areas.order_by("path").first()
        if not file.is_file():
            raise CommandError(f"找不到文件 {file}")
        try:
            with file.open("rb") as handle:
                batch = services.import_batch_create(
                    by=by, source=source, area=covered, list_date=date or timezone.localdate(),
                    chunks=iter(lambda: handle.read(1 << 20), b""), file_name=file.name, via=ImportBatch.Via.CLI)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        if batch.state == ImportBatch.State.DUPLICATE:
            self.stdout.write(batch.message)
            return
        batch = services.import_validate(batch=batch, on_progress=self._progress)
        self._progress(batch, done=True)
        self._report(batch)
        if commit and batch.state == ImportBatch.State.VALIDATED:
            batch = services.import_commit(batch=batch, by=by)
            self.stdout.write(f"导入结果：{batch.get_state_display()}。新增 {batch.new_count}，变更 {batch.changed_count}，"
                              f"终止 {batch.ended_count}，无变化 {batch.unchanged_count}。{batch.message}")
        elif batch.state == ImportBatch.State.VALIDATED:
            self.stdout.write(f"这是校验结果，尚未修改任何数据。确认无误后加 --commit 导入（批次 #{batch.pk}）。")
        if batch.state == ImportBatch.State.REJECTED:
            raise CommandError(batch.message)

    def _progress(self, batch: ImportBatch, done: bool = False) -> None:
        width = 40
        filled = width * batch.percent // 100 if not done else width
        sys.stderr.write(f"\r校验 [{'#' * filled}{'.' * (width - filled)}] {batch.processed_rows}/{batch.total_rows} 行")
        if done:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def _report(self, batch: ImportBatch) -> None:
        self.stdout.write(f"批次 #{batch.pk}：{batch.get_state_display()}。{batch.message}")
        if batch.state != ImportBatch.State.VALIDATED:
            return
        self.stdout.write(f"共 {batch.total_rows} 行：将新增 {batch.new_count}，变更 {batch.changed_count}，"
                          f"终止 {batch.ended_count}，无变化 {batch.unchanged_count}；有错误 {batch.error_rows} 行（不会导入）。")
        bad = batch.rows.filter(valid=False).order_by("row_number")
        for row in bad[:SHOWN_PROBLEMS]:
            for problem in row.problems or []:
                self.stdout.write(f"  第 {row.row_number} 行 【{problem['column']}】 {problem['message']}")
        if batch.error_rows > SHOWN_PROBLEMS:
            self.stdout.write(f"  ……另有 {batch.error_rows - SHOWN_PROBLEMS} 行有错误，完整清单请在网页上下载。")
