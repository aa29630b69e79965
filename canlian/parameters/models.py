from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from canlian.parameters.catalogue import SPECS


class Parameter(models.Model):
    """A policy value (政策参数) in force from a date until the next value of the same key."""

    key = models.CharField(_("参数"), max_length=80, choices=[(k, s.label) for k, s in SPECS.items()])
    value = models.DecimalField(_("取值"), max_digits=14, decimal_places=4)
    effective_from = models.DateField(_("生效日期"))
    source = models.CharField(_("依据"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords(verbose_name=_("政策参数变更记录"))

    class Meta:
        verbose_name = _("政策参数")
        verbose_name_plural = _("政策参数")
        ordering = ["key", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["key", "effective_from"], name="parameter_one_value_per_day")]

    def __str__(self) -> str:
        return _("%(key)s = %(value)s（%(day)s 起）") % {
            "key": self.get_key_display(), "value": format(self.value.normalize(), "f"), "day": self.effective_from}
