from django.db import migrations


def seed_catalogue(apps, schema_editor):
    """The plan's indicators and their targets (catalogue.CATALOGUE); editable afterwards in the admin."""
    from canlian.indicators.catalogue import CATALOGUE

    Indicator = apps.get_model("indicators", "Indicator")
    Target = apps.get_model("indicators", "Target")
    for order, (code, name, measure, kind, source, targets) in enumerate(CATALOGUE, start=1):
        indicator, _created = Indicator.objects.get_or_create(
            code=code, defaults={"name": name, "measure": measure, "kind": kind, "source": source, "order": order})
        for year, value in targets.items():
            Target.objects.get_or_create(indicator=indicator, year=year, defaults={"value": value})


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(seed_catalogue, migrations.RunPython.noop)]
