from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "canlian.common"
    verbose_name = "公共"
