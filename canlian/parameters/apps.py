from django.apps import AppConfig


class ParametersConfig(AppConfig):
    name = "canlian.parameters"
    verbose_name = "政策参数"
