from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canlian.common.admin import ReadOnlyAdmin
from canlian.exchange import services, tokens
from canlian.exchange.models import ApiCall, DepartmentToken, ImportBatch


class DepartmentTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(label=gettext_lazy("权限范围"), choices=DepartmentToken.Scope.choices,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = DepartmentToken
        fields = ["department", "scopes", "areas", "acting_user"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                tokens.department_token_check(department=data["department"], scopes=data["scopes"],
                                              areas=data["areas"], acting_user=data["acting_user"])
            except ValidationError as error:
                self.add_error(None, error)
        return data


def _shown_once(token: DepartmentToken, raw: str) -> str:
    return _("“%(t)s”的令牌（只显示这一次，请立即复制并安全交给该部门）：%(raw)s") % {"t": token, "raw": raw}


@admin.register(DepartmentToken)
class DepartmentTokenAdmin(admin.ModelAdmin):
    """Tokens are made, rotated and revoked here, never edited: each change goes through tokens.py."""

    form = DepartmentTokenForm
    list_display = ["department", "prefix", "scope_labels", "created_at", "rotated_at", "revoked_at", "last_used_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["department", "prefix"]
    filter_horizontal = ["areas"]
    actions = ["rotate", "revoke"]
    shown = ["department", "prefix", "scope_labels", "areas", "acting_user", "created_at", "rotated_at", "revoked_at",
             "last_used_at"]

    @admin.display(description=gettext_lazy("权限范围"))
    def scope_labels(self, token: DepartmentToken) -> str:
        labels = dict(DepartmentToken.Scope.choices)
        return "、".join(str(labels.get(scope, scope)) for scope in token.scopes)

    def get_fields(self, request, obj=None):
        return self.shown if obj else super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return self.shown if obj else []

    def has_change_permission(self, request, obj=None):
        # The list (and its actions) needs it; a token itself is never edited, only rotated or revoked.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: calls and batches keep naming the token

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        token, raw = tokens.department_token_create(department=data["department"], scopes=data["scopes"],
                                                    areas=data["areas"], acting_user=data["acting_user"])
        obj.pk, obj.prefix, obj.secret_hash, obj.created_at = token.pk, token.prefix, token.secret_hash, token.created_at
        messages.success(request, _shown_once(token, raw))

    def save_related(self, request, form, formsets, change):
        pass  # the create service has set the areas

    @admin.action(description=gettext_lazy("更换令牌"), permissions=["change"])
    def rotate(self, request, queryset):
        for token in queryset:
            try:
                raw = tokens.department_token_rotate(token=token)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            self.log_change(request, token, _("更换令牌"))
            self.message_user(request, _shown_once(token, raw), messages.SUCCESS)

    @admin.action(description=gettext_lazy("吊销"), permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset:
            try:
                tokens.department_token_revoke(token=token)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            self.log_change(request, token, _("吊销"))
            self.message_user(request, _("已吊销“%(t)s”：此令牌立即失效。") % {"t": token}, messages.SUCCESS)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["id", "source", "area", "list_date", "via", "state", "total_rows", "error_rows", "created_by",
                    "department", "created_at"]
    list_filter = ["state", "via", "source"]
    list_select_related = ["area", "created_by", "department"]
    search_fields = ["file_name", "file_sha256"]
    actions = ["abandon"]

    @admin.action(description=gettext_lazy("放弃处理中断的批次"))
    def abandon(self, request, queryset):
        for batch in queryset:
            try:
                services.import_abandon(batch=batch, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"#{batch.pk}：" + " ".join(error.messages), messages.WARNING)
            else:
                self.message_user(request, _("已放弃批次 #%(id)d。") % {"id": batch.pk}, messages.SUCCESS)


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyAdmin):
    list_display = ["at", "token", "method", "path", "status", "ip_address"]
    list_filter = ["status", "method"]
    list_select_related = ["token"]
    search_fields = ["path", "token__department", "token__prefix"]
