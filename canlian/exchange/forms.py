"""Forms of the exchange pages: they parse and present; services decide (scope, dates, file size)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from canlian.areas.models import Area
from canlian.common.forms import DateInput
from canlian.exchange.models import MatchOutcome
from canlian.exchange.sources import SOURCES
from canlian.registry.forms import AreaChoiceField

ACCEPTED_FILES = ".xlsx,.xls,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet," \
                 "application/vnd.ms-excel,text/csv"


class AreaField(AreaChoiceField):
    """One of the user's areas; any other (e.g. a tampered form) is refused at the field."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Area.objects.none())
        kwargs.setdefault("empty_label", "——")
        kwargs.setdefault("error_messages", {"required": _("请选择区域。"),
                                             "invalid_choice": _("所选区域不在您负责的范围内。")})
        super().__init__(**kwargs)


class UploadForm(forms.Form):
    source = forms.ChoiceField(
        label=_("数据来源"), widget=forms.RadioSelect, choices=[],
        error_messages={"required": _("请选择数据来源。"), "invalid_choice": _("请选择数据来源。")})
    area = AreaField(label=_("名单覆盖区域"),
                     help_text=_("名单所统计的区域。低保等救助名单视为该区域的完整名单。"))
    list_date = forms.DateField(
        label=_("名单日期"), widget=DateInput(), help_text=_("名单统计截至的日期，例如 2025-06-30"),
        error_messages={"required": _("请输入名单日期（名单统计截至的日期）。"),
                        "invalid": _("请按“年-月-日”填写名单日期，例如 2025-06-30。")})
    file = forms.FileField(
        label=_("文件"), widget=forms.FileInput(attrs={"accept": ACCEPTED_FILES}),
        error_messages={"required": _("请选择要上传的文件。"), "empty": _("文件是空的：请检查是否选错了文件。"),
                        "invalid": _("没有收到文件：请重新选择文件后上传。"),
                        "missing": _("没有收到文件：请重新选择文件后上传。")})

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(key, str(source.label)) for key, source in SOURCES.items()]
        self.fields["area"].queryset = areas
        self.fields["file"].help_text = _("Excel 工作簿（.xlsx 或 .xls）或 CSV 文件，第一行为列名；"
                                          "不超过 %(mb)d MB。") % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}


class ReviewFilterForm(forms.Form):
    outcome = forms.ChoiceField(label=_("比对结果"), required=False,
                                choices=[("", _("全部"))] + MatchOutcome.choices[1:])
    batch = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ExportForm(forms.Form):
    FORMATS = [("xlsx", _("Excel 工作簿（.xlsx）：上报系统导入用的表格")),
               ("json", _("JSON：系统之间交换用，取值为代码（如残疾类别 1—7）"))]

    area = AreaField(label=_("区域"), help_text=_("导出居住在此区域（含下级区域）的全部残疾人"))
    format = forms.ChoiceField(label=_("文件格式"), choices=FORMATS, widget=forms.RadioSelect,
                               error_messages={"required": _("请选择文件格式。"),
                                               "invalid_choice": _("请选择文件格式。")})
    reason = forms.CharField(
        label=_("用途"), max_length=200,
        help_text=_("导出文件含完整身份证号，用途将记入访问日志，例如：上报全国残疾人人口基础库季度更新"),
        error_messages={"required": _("请填写导出用途（将记入访问日志）。"), "max_length": _("最多 200 字。")})

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
