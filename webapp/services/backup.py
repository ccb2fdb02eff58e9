"""Online backup and restore of the SQLite database, safe while the server runs."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from flask_babel import gettext as _

from ..errors import DomainError
from ..extensions import db


class BackupRefused(DomainError):
    """The backup or restore cannot be made here (not SQLite, or not a backup of this app)."""


def _live_path() -> str:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database:
        raise BackupRefused(_("Only the SQLite database is backed up by this command; back up PostgreSQL "
                              "with pg_dump (see the README)."))
    return url.database


def backup(target: str | Path) -> Path:
    """Copy the live database page by page into `target` as one self-contained file, consistent as of one moment."""
    target = Path(target)
    if target.exists():
        raise BackupRefused(_("%(path)s exists already; choose a new file.", path=str(target)))
    with closing(sqlite3.connect(_live_path())) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
    return target


def restore(source: str | Path) -> None:
    """Replace the live database's content with a backup's; running servers see it on their next query."""
    source = Path(source)
    if not source.is_file():
        raise BackupRefused(_("%(path)s is not a file.", path=str(source)))
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as copy:
        try:
            healthy = copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            stamped = copy.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
        except sqlite3.DatabaseError:
            healthy = stamped = False
        if not (healthy and stamped):
            raise BackupRefused(_("%(path)s is not a backup of this app's database.", path=str(source)))
        with closing(sqlite3.connect(_live_path(), timeout=30)) as live:
            copy.backup(live)
