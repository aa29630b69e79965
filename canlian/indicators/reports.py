"""The annual monitoring report (年度监测报告) from a year's snapshots: XLSX for the office, PDF for the leaders
(WeasyPrint, the CJK font, bar charts drawn here as SVG so the PDF needs no browser)."""

import io
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from canlian.areas.models import Area
from canlian.common.spreadsheets import XlsxWriter
from canlian.indicators import selectors
from canlian.rights.models import Case
from canlian.rights.selectors import case_statistics

STATUS = {"met": "● 已达标", "near": "▲ 接近目标", "behind": "■ 未达标", "": "—"}


def _report(area: Area, year: int) -> dict:
    """The report's content: the area's figures, and each measured indicator by the areas directly below."""
    figures = selectors.figures(area=area, year=year)
    children = list(Area.objects.filter(parent=area).order_by("code"))
    of_child = {child.pk: {f.indicator.pk: f for f in selectors.figures(area=child, year=year)} for child in children}
    by_area = []
    for figure in figures:
        if not figure.measured:
            continue
        rows = [(child.name, of_child[child.pk][figure.indicator.pk]) for child in children]
        by_area.append((figure, rows, _bar_chart([(name, f.value) for name, f in rows], percent=figure.is_rate)))
    today = timezone.localdate()
    cases = case_statistics(cases=Case.objects.all(), start=date(year, 1, 1), end=date(year, 12, 31), today=today,
                            under=area)
    return {"area": area, "year": year, "figures": figures, "by_area": by_area, "cases": cases,
            "as_of": next((f.as_of for f in figures if f.as_of), None), "status": STATUS,
            "federation_name": settings.CANLIAN_FEDERATION_NAME, "made_on": today}


def _bar_chart(points: list[tuple[str, Decimal | None]], *, percent: bool) -> str:
    """A horizontal bar per area, as SVG markup (values in the table beside it)."""
    points = [(name, value) for name, value in points if value is not None]
    if not points:
        return ""
    top = Decimal(100) if percent else max(max(value for _name, value in points), Decimal(1))
    row, width, label = 22, 300, 110
    bars = []
    for index, (name, value) in enumerate(points):
        y = index * row
        length = float(value / top) * width if top else 0
        bars.append(f'<text x="{label - 6}" y="{y + 15}" text-anchor="end" font-size="11">{escape(name)}</text>'
                    f'<rect x="{label}" y="{y + 4}" width="{length:.1f}" height="14" fill="#1d70b8"/>'
                    f'<text x="{label + length + 4:.1f}" y="{y + 15}" font-size="11">{value}{"%" if percent else ""}</text>')
    height = row * len(points) + 4
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{label + width + 60}" height="{height}" role="img">'
            + "".join(bars) + "</svg>")


def annual_pdf(*, area: Area, year: int) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs a second that other pages need not pay

    return HTML(string=render_to_string("indicators/annual_report.html", _report(area, year))).write_pdf()


def annual_xlsx(*, area: Area, year: int) -> bytes:
    report = _report(area, year)
    buffer = io.BytesIO()
    writer = XlsxWriter(buffer)
    summary = writer.sheet(_("指标汇总"), [_("指标"), _("属性"), _("当前值"), _("分子"), _("分母"), _("目标"),
                                          _("完成情况"), _("统计截至"), _("依据")])
    for figure in report["figures"]:
        summary.append([figure.indicator.name, figure.indicator.get_kind_display(),
                        _("无数据") if not figure.measured else _value(figure), figure.numerator, figure.denominator,
                        "" if figure.target is None else str(figure.target.normalize()), STATUS[figure.status],
                        figure.as_of, figure.indicator.source])
    areas = writer.sheet(_("按区域"), [_("指标"), _("区域"), _("当前值"), _("分子"), _("分母"), _("完成情况")])
    for figure, rows, _svg in report["by_area"]:
        for name, child in rows:
            areas.append([figure.indicator.name, name, _value(child), child.numerator, child.denominator,
                          STATUS[child.status]])
    cases = report["cases"]
    sheet = writer.sheet(_("维权案件"), [_("项目"), _("分类"), _("件数或比例")])
    sheet.append([_("受理"), "", cases.received])
    sheet.append([_("已办结"), "", cases.closed])
    sheet.append([_("按期办结率"), "", "—" if cases.on_time_rate is None else f"{cases.on_time_rate}%"])
    sheet.append([_("回访满意率（满意和基本满意）"), "", "—" if cases.satisfaction_rate is None else f"{cases.satisfaction_rate}%"])
    for title, counts in [(_("按类型"), cases.by_kind), (_("按来源"), cases.by_source),
                          (_("按区域"), [(a.name, n) for a, n in cases.by_area]),
                          (_("回访满意度"), cases.satisfaction_labels)]:
        for label, count in counts:
            sheet.append([title, str(label), count])
    writer.close()
    return buffer.getvalue()


def _value(figure) -> str:
    if figure.value is None:
        return "—"
    return f"{figure.value}%" if figure.is_rate else str(figure.value)
