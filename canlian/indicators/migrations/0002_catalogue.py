from django.db import migrations


def seed_catalogue(apps, schema_editor):
    """The plan's indicators and their targets (catalogue.CATALOGUE); editable afterwards in the admin."""
    from canlian.indicators.catalogue import catalogue_load

    catalogue_load(apps.get_model("indicators", "Indicator"), apps.get_model("indicators", "Target"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(seed_catalogue, migrations.RunPython.noop)]
