"""The default deadlines, editable in the admin afterwards."""

from django.db import migrations


def load(apps, schema_editor):
    from workflows.deadlines import DEFAULT_RULES

    DeadlineRule = apps.get_model("workflows", "DeadlineRule")
    for kind, rule in DEFAULT_RULES.items():
        DeadlineRule.objects.get_or_create(kind=kind, defaults=rule)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
