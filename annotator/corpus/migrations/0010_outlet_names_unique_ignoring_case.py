"""The database refuses two outlet profiles whose names differ only in letter case.

Articles are matched to a profile by name ignoring case, so "Reuters" and "reuters" would be
two profiles of one outlet; the service checked for that before saving, but two teachers
writing at the same moment both passed the check.

Profiles that already differ only in case cannot all keep their names under the constraint.
The first written (lowest id) keeps its name; each later one is renamed by appending " (2)",
" (3)"… (the first number free), cut to fit 200 characters, so that `migrate` never fails on a
real database. A renamed profile keeps its slug, page and text but no longer matches the
articles of the outlet; staff can merge it into the kept one in the admin. Names are compared
as the database lowers them (on SQLite, only the letters A to Z), as the new unique index
compares them.
"""

from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Lower

MAX_NAME = 200


def rename_case_duplicates(apps, schema_editor):
    Outlet = apps.get_model("corpus", "Outlet")
    keyed = Outlet.objects.annotate(key=Lower("name"))
    kept = set()
    for pk, name, key in list(keyed.order_by("pk").values_list("pk", "name", "key")):
        if key not in kept:
            kept.add(key)
            continue
        number = 2
        while True:
            renamed = f"{name[: MAX_NAME - len(f' ({number})')].rstrip()} ({number})"
            if not keyed.filter(key=Lower(Value(renamed))).exists():
                break
            number += 1
        Outlet.objects.filter(pk=pk).update(name=renamed)


class Migration(migrations.Migration):

    dependencies = [
        ("corpus", "0009_bylines_and_outlet_names_on_one_line"),
    ]

    operations = [
        migrations.RunPython(rename_case_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="outlet",
            constraint=models.UniqueConstraint(
                Lower("name"), name="outlet_name_unique_ignoring_case",
                violation_error_message="Another outlet has this name, written in other letter case.",
            ),
        ),
    ]
