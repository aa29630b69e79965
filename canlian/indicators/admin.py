"""Indicators and their targets are data an administrator edits (基础数据管理); snapshots are computed, read-only."""

from django.contrib import admin

from canlian.common.admin import ReadOnlyAdmin
from canlian.indicators.models import Indicator, Snapshot, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name", "measure", "kind", "source"]
    list_display_links = ["code", "name"]
    list_filter = ["kind"]
    inlines = [TargetInline]


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "area", "year", "as_of", "numerator", "denominator", "computed_at"]
    list_filter = ["year", "indicator"]
    list_select_related = ["indicator", "area"]
