"""Claim stamps: a per-article number that database triggers change with every claim write.

The reader keys its drawings of an article on `stamp(article)` (one primary-key read), so a
claim written through any path, on any worker or server, is drawn by the next view: services,
bulk imports, the admin, cascades from a deleted user, raw SQL. Triggers do it, in the
writing transaction, because no list of Python write paths stays complete.

Each app whose part of the reading rule reads another table registers triggers on it
(`register_stamp_trigger`): discussion bumps an article when one of its claims is hidden.

On SQLite the triggers are dropped before `migrate` and created again after it: SQLite
rebuilds a table to alter it, which drops that table's triggers and fails on triggers of
other tables that name it. Whatever was written meanwhile went unstamped, so every article
with claims then gets a new stamp. PostgreSQL keeps triggers through ALTER TABLE: they stay
in place, and `migrate` only creates them again idempotently (as does a test flush).
"""

from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate

from .models import ClaimStamp

# name -> (table, event, condition, articles)
_TRIGGERS = {}


def register_stamp_trigger(name, table, event, articles, when=""):
    """After each `event` (INSERT, UPDATE or DELETE) of a row of `table` (when `when`, a
    condition on OLD/NEW, holds), give the articles `articles` names a new stamp. `articles`
    is a SELECT of one column named article_id, reading the row as OLD and NEW."""
    _TRIGGERS[name] = (table, event, when, articles)


def stamp(article):
    """The article's current claim stamp (None until its first claim is written)."""
    return ClaimStamp.objects.filter(article_id=article.pk).values_list("stamp", flat=True).first()


def _bump(vendor, articles):
    fresh = "random()" if vendor == "sqlite" else "(random() * 9.2e18)::bigint"
    return (f"INSERT INTO {ClaimStamp._meta.db_table} (article_id, stamp) "
            f"SELECT article_id, {fresh} FROM (SELECT DISTINCT article_id FROM ({articles}) AS named) AS written "
            f"WHERE article_id IS NOT NULL ON CONFLICT (article_id) DO UPDATE SET stamp = excluded.stamp")


def _create(connection, name, table, event, when, articles):
    vendor = connection.vendor
    condition = f"WHEN ({when})" if when else ""
    bump = _bump(vendor, articles)
    if vendor == "sqlite":
        return [(f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table} FOR EACH ROW {condition} "
                 f"BEGIN {bump}; END")]
    return [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {bump}; RETURN NULL; END $$",
        f"CREATE OR REPLACE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {condition} EXECUTE FUNCTION {name}()",
    ]


def _drop(connection, name, table):
    if connection.vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}"]
    return [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]


def drop_triggers(using="default", **kwargs):
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for name, (table, *_) in _TRIGGERS.items():
            if table in tables:
                for sql in _drop(connection, name, table):
                    cursor.execute(sql)


def create_triggers(using="default", **kwargs):
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if ClaimStamp._meta.db_table not in tables:
        return
    with connection.cursor() as cursor:
        for name, (table, event, when, articles) in _TRIGGERS.items():
            if table in tables:
                for sql in _create(connection, name, table, event, when, articles):
                    cursor.execute(sql)
        if connection.vendor == "sqlite" and CLAIMS in tables:
            cursor.execute(f"UPDATE {ClaimStamp._meta.db_table} SET stamp = random()")
            cursor.execute(_bump("sqlite", f"SELECT article_id FROM {CLAIMS}"))


def connect(app_config):
    pre_migrate.connect(drop_triggers, sender=app_config, dispatch_uid="annotations.drop_stamp_triggers")
    post_migrate.connect(create_triggers, sender=app_config, dispatch_uid="annotations.create_stamp_triggers")


CLAIMS = "annotations_annotation"
for _event, _row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
    register_stamp_trigger(f"annotations_claim_stamp_{_event.lower()}", CLAIMS, _event,
                           f"SELECT {_row}.article_id AS article_id")
# A claim moved to another article leaves the first one changed too.
register_stamp_trigger("annotations_claim_stamp_moved", CLAIMS, "UPDATE", "SELECT OLD.article_id AS article_id",
                       when="OLD.article_id <> NEW.article_id")
# The reader lists its claims' authors by username.
register_stamp_trigger("annotations_claim_stamp_username", "auth_user", "UPDATE",
                       f"SELECT article_id FROM {CLAIMS} WHERE author_id = NEW.id",
                       when="OLD.username <> NEW.username")
