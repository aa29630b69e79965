"""Training, events and entrepreneurship support are kept in the admin (基础数据管理); declarations and
employment records only through their pages, which apply the review's rules, so they are read-only here."""

from django.contrib import admin

from canlian.common.admin import ReadOnlyAdmin
from canlian.employment.models import (
    Declaration,
    EmploymentEvent,
    EmploymentRecord,
    EntrepreneurshipSupport,
    TrainingCourse,
    TrainingEnrolment,
)


class EnrolmentInline(admin.TabularInline):
    model = TrainingEnrolment
    raw_id_fields = ["person"]
    extra = 0


@admin.register(TrainingCourse)
class TrainingCourseAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "provider", "area", "starts_on", "ends_on", "hours"]
    list_filter = ["kind"]
    inlines = [EnrolmentInline]


@admin.register(EmploymentEvent)
class EmploymentEventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "held_on", "area", "jobs_offered", "attendees", "placed"]
    list_filter = ["kind"]


@admin.register(EntrepreneurshipSupport)
class EntrepreneurshipSupportAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "granted_on", "amount"]
    list_filter = ["kind"]
    raw_id_fields = ["person"]


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdmin):
    list_display = ["employer", "year", "declared_on", "status", "counted", "levy", "reward"]
    list_filter = ["year", "status"]


@admin.register(EmploymentRecord)
class EmploymentRecordAdmin(ReadOnlyAdmin):
    list_display = ["person", "employed", "form", "not_working_reason", "started_on", "ended_on"]
    list_filter = ["employed", "form"]
    raw_id_fields = ["person"]
