"""Reference data: Sweden's 290 municipalities with their SCB codes and counties.

The list itself is ``fixtures/reference/municipalities.csv`` (code, name, county_code), typed in
from SCB's kommunkoder. Idempotent: the test suite calls ``load`` again after a flush.
"""

import csv
from pathlib import Path

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parents[3] / "fixtures" / "reference" / "municipalities.csv"


def read_rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(apps, schema_editor):
    County = apps.get_model("directory", "County")
    Municipality = apps.get_model("directory", "Municipality")
    counties = {c.code: c for c in County.objects.all()}
    for row in read_rows():
        Municipality.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "county": counties[row["county_code"]]},
        )


def unload(apps, schema_editor):
    apps.get_model("directory", "Municipality").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_municipality_and_organisation_number"),
        ("directory", "0003_load_counties"),
    ]
    operations = [migrations.RunPython(load, unload)]
