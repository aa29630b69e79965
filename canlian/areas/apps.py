from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "canlian.areas"
    verbose_name = "行政区划"
