from django.db import migrations


def leave_room_for_labels(apps, schema_editor):
    # Validation labels every staged row once (new/changed/unchanged): with room left in each page PostgreSQL
    # rewrites the row in place (a HOT update, no index writes), which makes a 100,000-row list's labelling
    # several times faster (BENCHMARKS.md). SQLite has no such setting and needs none.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE exchange_importrow SET (fillfactor = 50)")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE exchange_importrow RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_initial")]
    operations = [migrations.RunPython(leave_room_for_labels, fill_pages)]
