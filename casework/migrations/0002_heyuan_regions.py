"""Load 河源市 and its seven county-level units (GB/T 2260; 江东新区 has no national code)."""

from django.db import migrations

CITY = ("441600", "河源市")
COUNTIES = [
    ("441602", "源城区"),
    ("441621", "紫金县"),
    ("441622", "龙川县"),
    ("441623", "连平县"),
    ("441624", "和平县"),
    ("441625", "东源县"),
    ("441699", "江东新区"),
]


def load(apps, schema_editor):
    Region = apps.get_model("casework", "Region")
    city, _ = Region.objects.get_or_create(
        code=CITY[0], defaults={"name": CITY[1], "level": "city"}
    )
    for code, name in COUNTIES:
        county, _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": "county", "parent": city}
        )
        if county.county_id != county.pk:
            county.county_id = county.pk
            county.save(update_fields=["county"])


def unload(apps, schema_editor):
    Region = apps.get_model("casework", "Region")
    Region.objects.filter(code__in=[code for code, _ in COUNTIES], children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
