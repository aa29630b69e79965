from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "canlian.audit"
    verbose_name = "访问日志"
