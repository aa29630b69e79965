from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "canlian.registry"
    verbose_name = "残疾人档案"
