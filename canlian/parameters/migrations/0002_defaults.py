from django.db import migrations


def seed_defaults(apps, schema_editor):
    """Write the catalogue defaults as rows so the admin shows (and dates) every parameter."""
    from canlian.parameters.catalogue import EARLIEST, SPECS

    Parameter = apps.get_model("parameters", "Parameter")
    for spec in SPECS.values():
        Parameter.objects.get_or_create(key=spec.key, effective_from=EARLIEST,
                                        defaults={"value": spec.default, "source": spec.source})


class Migration(migrations.Migration):
    dependencies = [("parameters", "0001_initial")]
    operations = [migrations.RunPython(seed_defaults, migrations.RunPython.noop)]
