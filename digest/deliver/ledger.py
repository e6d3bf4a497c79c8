"""The send ledger: who got which briefing, so a send happens once.

One row per (briefing id, recipient, content hash). A recipient is marked
`sending` before the SMTP transaction and `sent` after the server accepted
the message. A row still `sending` on the next run means the process died in
between, or the server never answered the final "." — the message may or may
not have gone out, so it is reported instead of resent (`--force` resends).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterable

SENDING, SENT, FAILED = "sending", "sent", "failed"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sends (
    briefing_id  TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
    message_id   TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (briefing_id, recipient, content_hash)
)
"""


class Ledger:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # isolation_level=None: every statement commits at once, so a mark is on
        # disk before the SMTP step that follows it.
        self._db = sqlite3.connect(path, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def status(self, briefing_id: str, recipient: str, content_hash: str) -> str | None:
        row = self._db.execute(
            "SELECT status FROM sends WHERE briefing_id = ? AND recipient = ? AND content_hash = ?",
            (briefing_id, recipient.lower(), content_hash),
        ).fetchone()
        return row[0] if row else None

    def mark(
        self,
        briefing_id: str,
        recipients: Iterable[str],
        content_hash: str,
        status: str,
        message_id: str,
        when: str,
        detail: str = "",
    ) -> None:
        self._db.executemany(
            "INSERT INTO sends (briefing_id, recipient, content_hash, status, message_id, detail, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (briefing_id, recipient, content_hash) DO UPDATE SET"
            " status = excluded.status, message_id = excluded.message_id,"
            " detail = excluded.detail, updated_at = excluded.updated_at",
            [(briefing_id, r.lower(), content_hash, status, message_id, detail, when) for r in recipients],
        )

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(briefing_id, recipient, status, detail) for every row, oldest first (for reports and tests)."""
        return self._db.execute(
            "SELECT briefing_id, recipient, status, detail FROM sends ORDER BY updated_at, rowid"
        ).fetchall()
