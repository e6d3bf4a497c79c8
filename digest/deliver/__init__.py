"""Deliver: the stage that touches the world — SMTP servers, the wiki's git repository.

Everything here is written so that cron can run it every morning without
sending or committing anything twice: a send ledger, atomic page writes,
locks, and clear outcomes that map onto exit codes.
"""
