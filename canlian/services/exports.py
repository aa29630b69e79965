"""The year's service records as a spreadsheet for the annual report (年度报告): ID numbers masked."""

import tempfile

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from canlian.common.masking import mask_id_number
from canlian.common.spreadsheets import XlsxWriter
from canlian.services.models import ServiceRecord


def services_xlsx(records: QuerySet[ServiceRecord], *, year: int):
    """Every service that started, was referred or ran during the year; returns (file, count)."""
    during = (Q(started_on__year=year) | Q(referred_on__year=year)
              | Q(started_on__year__lt=year, ended_on__isnull=True) | Q(started_on__year__lt=year, ended_on__year=year))
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")
    writer = XlsxWriter(handle)
    sheet = writer.sheet(_("服务记录"), [
        _("姓名"), _("身份证号"), _("居住地"), _("服务类型"), _("服务项目"), _("服务机构"), _("辅助器具"), _("转介日期"),
        _("开始日期"), _("结束日期"), _("服务结果"), _("费用（元）"), _("补贴金额（元）")])
    count = 0
    for record in (records.filter(during).select_related("person__residence_area")
                   .order_by("person__residence_area__code", "kind", "pk").iterator(chunk_size=2000)):
        count += 1
        sheet.append([record.person.name, mask_id_number(record.person.id_number),
                      record.person.residence_area.name, record.get_kind_display(), record.subtype_label,
                      record.provider.name if record.provider else "", record.product.name if record.product else "",
                      record.referred_on, record.started_on, record.ended_on, record.get_outcome_display(),
                      "" if record.cost is None else f"{record.cost:.2f}",
                      "" if record.subsidy is None else f"{record.subsidy:.2f}"])
    writer.close()
    handle.seek(0)
    return handle, count
