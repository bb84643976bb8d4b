"""A consistent copy of the whole database while the site runs, bringing it back, and checking it.

SQLite: the online backup API (sqlite3.Connection.backup) copies every page in one step
under a read transaction; in WAL mode writers carry on meanwhile and the copy is the database
as of the moment the step began. PostgreSQL: `pg_dump --format=custom`, which reads one
snapshot (a repeatable-read transaction), so the dump is consistent however busy the site is;
`pg_restore` brings it back. Both programs come with Debian's `postgresql-client` and should
match the server's major version.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.db import connection

from annotator.errors import ServiceError

SQLITE_HEADER = b"SQLite format 3\x00"
PGDUMP_HEADER = b"PGDMP"


class BackupError(ServiceError):
    """The backup or restore could not be made; nothing was changed."""


def _postgres_tool(name):
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed, and PostgreSQL backups need it: install Debian's "
                          "postgresql-client (the same major version as the server) and run this again.")
    return found


def _postgres_arguments():
    settings = connection.settings_dict
    arguments = ["--dbname", settings["NAME"], "--no-password"]
    if settings.get("HOST"):
        arguments += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        arguments += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        arguments += ["--username", settings["USER"]]
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    return arguments, env


def _run(command, env):
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip() or done.returncode}")


def backup(path):
    """Write a consistent copy of the database to `path` (a new file); return its size in bytes."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists; choose a new file name, so no backup is overwritten.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    partial = path.with_name(path.name + ".partial")
    try:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            copy = sqlite3.connect(partial)
            try:
                connection.connection.backup(copy)
                verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                copy.close()
            if verdict != "ok":
                raise BackupError(f"The copy failed its integrity check: {verdict}")
        elif connection.vendor == "postgresql":
            arguments, env = _postgres_arguments()
            _run([_postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial), *arguments], env)
        else:
            raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
        # Renamed only when whole: a backup interrupted half way never looks like a backup.
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path.stat().st_size


def table_names():
    return connection.introspection.table_names()


def restore(path):
    """Bring the backup at `path` into this database, which must be empty (no tables at all)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    with path.open("rb") as file:
        header = file.read(16)
    present = table_names()
    if present:
        raise BackupError(f"This database is not empty ({len(present)} tables); restore only into a new, empty "
                          "database, so nothing in it is lost.")
    if connection.vendor == "sqlite":
        if not header.startswith(SQLITE_HEADER):
            raise BackupError(f"{path} is not an SQLite backup (made by `manage.py backup` on SQLite).")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged (it fails SQLite's integrity check); nothing was restored.")
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        if not header.startswith(PGDUMP_HEADER):
            raise BackupError(f"{path} is not a PostgreSQL backup (made by `manage.py backup` on PostgreSQL).")
        arguments, env = _postgres_arguments()
        connection.close()
        _run([_postgres_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction", *arguments,
              str(path)], env)
    else:
        raise BackupError(f"Restoring {connection.vendor} databases is not supported.")


def integrity_problems():
    """Every problem found in the database, as sentences; empty when it is sound.

    SQLite's own check of every page and index, then, on any database, each foreign key of
    every model checked for rows that point at nothing (a link without its claim, a reply
    without its thread), which also reads every table through.
    """
    problems = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA integrity_check")
            problems += [f"SQLite: {row[0]}" for row in cursor.fetchall() if row[0] != "ok"]
        quote = connection.ops.quote_name
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            for field in model._meta.concrete_fields:
                if not field.is_relation or field.remote_field is None:
                    continue
                target = field.remote_field.model._meta
                target_column = target.get_field(field.remote_field.field_name).column
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(model._meta.db_table)} AS child "
                    f"WHERE child.{quote(field.column)} IS NOT NULL AND NOT EXISTS ("
                    f"SELECT 1 FROM {quote(target.db_table)} AS parent "
                    f"WHERE parent.{quote(target_column)} = child.{quote(field.column)})")
                orphans = cursor.fetchone()[0]
                if orphans:
                    problems.append(f"{orphans} row(s) of {model._meta.label} point to a missing "
                                    f"{target.label} ({field.name})")
    return problems
