from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "canlian.accounts"
    verbose_name = "工作人员与权限"
