from django.db import migrations


def seed_new_defaults(apps, schema_editor):
    """Rows for the parameters added since 0002 (child screening age, the benefits' local options)."""
    from canlian.parameters.catalogue import EARLIEST, SPECS

    Parameter = apps.get_model("parameters", "Parameter")
    for spec in SPECS.values():
        Parameter.objects.get_or_create(key=spec.key, effective_from=EARLIEST,
                                        defaults={"value": spec.default, "source": spec.source})


class Migration(migrations.Migration):
    dependencies = [("parameters", "0003_parameter_history")]
    operations = [migrations.RunPython(seed_new_defaults, migrations.RunPython.noop)]
