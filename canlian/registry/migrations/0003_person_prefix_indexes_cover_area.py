# Prefix-search indexes carry the residence area, so a scoped count is an index-only scan (see BENCHMARKS.md).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0002_certificate_number_length'),
    ]

    operations = [
        migrations.RemoveIndex(model_name='person', name='person_name_prefix'),
        migrations.RemoveIndex(model_name='person', name='person_initials_prefix'),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['name', 'residence_area'], name='person_name_prefix',
                               opclasses=['varchar_pattern_ops', 'int8_ops']),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['name_initials', 'residence_area'], name='person_initials_prefix',
                               opclasses=['varchar_pattern_ops', 'int8_ops']),
        ),
    ]
