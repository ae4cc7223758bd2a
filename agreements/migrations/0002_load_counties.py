"""The counties used to be loaded here; since County moved to the directory app they are loaded
by ``directory.0003_load_counties`` (idempotent, so databases that ran this step keep their rows).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
