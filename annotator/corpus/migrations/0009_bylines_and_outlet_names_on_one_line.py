"""Bylines, article outlets and outlet names stored as they are compared: white space collapsed.

Until now only the query side (/bylines/?name=, /outlets/find/?name=) was collapsed, so a byline
imported with a doubled space or a line break matched nothing.
"""

from django.db import migrations


def one_line(text):
    return " ".join((text or "").split())


def collapse(apps, schema_editor):
    Article = apps.get_model("corpus", "Article")
    for pk, byline, outlet in Article.objects.values_list("pk", "byline", "outlet").iterator():
        if (byline, outlet) != (one_line(byline), one_line(outlet)):
            Article.objects.filter(pk=pk).update(byline=one_line(byline), outlet=one_line(outlet))
    Outlet = apps.get_model("corpus", "Outlet")
    for outlet in Outlet.objects.all():
        name = one_line(outlet.name)
        # Two profiles differing only in spacing: keep both as they were rather than fail the migration.
        if name != outlet.name and not Outlet.objects.filter(name__iexact=name).exists():
            Outlet.objects.filter(pk=outlet.pk).update(name=name)


class Migration(migrations.Migration):

    dependencies = [
        ("corpus", "0008_outlet_profiles"),
    ]

    operations = [
        migrations.RunPython(collapse, migrations.RunPython.noop),
    ]
