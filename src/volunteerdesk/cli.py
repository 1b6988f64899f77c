"""The command line: ``volunteerdesk [--db URL] [COMMAND]``; with no command, the window.

Every sub-command works on the same core services as the window. Commands that print
results offer ``--json``. Exit status: 0 success, 1 the command ran but found a problem,
2 it could not run (bad arguments, a database that cannot be opened).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import date

from . import __version__, cli_import, cli_privacy, cli_rota, cli_security
from .cli_report import add_parsers as add_report_parsers
from .cli_report import run_export, run_report
from .core.db import Database, DatabaseError

DB_ENV = "VOLUNTEERDESK_DB"


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (use YYYY-MM-DD)") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="volunteerdesk",
        description="Volunteer records, clearances and rotas for prison chaplaincies "
        "and court advice desks. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"VolunteerDesk {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        default=os.environ.get(DB_ENV) or None,
        help="database to open: a path to an SQLite file (created if new) or "
        "postgresql+psycopg://user@host/name for a shared server "
        f"(default: ${DB_ENV}, else the file in your data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("gui", help="open the window (the default)", description="Open the window.")

    demo = commands.add_parser(
        "demo",
        help="fill an empty database with demo data",
        description="Fill an empty database with realistic demo data. 'small' is one prison "
        "chaplaincy and two court desks; 'national' is 7,000 volunteers at 130 sites.",
    )
    demo.add_argument("--size", choices=["small", "national"], default="small")
    demo.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    demo.add_argument(
        "--today", type=_iso_date, default=None, help="build as if today were this date"
    )
    demo.add_argument("--json", action="store_true", help="print the counts as JSON")

    info = commands.add_parser(
        "info",
        help="show what the database holds",
        description="Show the database, its schema version and how many records it holds.",
    )
    info.add_argument("--json", action="store_true", help="print as JSON")

    check = commands.add_parser(
        "check",
        help="list expiries and assignments that will break a rule",
        description="List expired and expiring training and clearances, pending clearances "
        "(oldest first), and rostered assignments from the date on that will break a rule "
        "on their own date. Exit status 1 when any assignment breaks a rule, so it can run "
        "as a scheduled task.",
    )
    check.add_argument("--site", help="a site's name or id (default: every site)")
    check.add_argument(
        "--date", type=_iso_date, default=None, help="as of this date (default: today)"
    )
    check.add_argument("--json", action="store_true", help="print as JSON")

    backup = commands.add_parser(
        "backup",
        help="copy the database to a backup file",
        description="Take a consistent copy of the database while it may be in use. "
        "Without -o it goes to the backups folder, keeping the newest ones as set in Settings.",
    )
    backup.add_argument("-o", "--output", metavar="FILE", help="write the backup to this file")
    backup.add_argument("--json", action="store_true", help="print the result as JSON")

    restore = commands.add_parser(
        "restore",
        help="replace the database with a backup",
        description="Check that FILE is a VolunteerDesk backup this version can open, keep a "
        "safety copy of the current database, then put the backup in its place. Close the "
        "program first.",
    )
    restore.add_argument("file", metavar="FILE", help="the backup to restore")
    restore.add_argument("--json", action="store_true", help="print the result as JSON")
    cli_rota.add_parser(commands)
    cli_import.add_parser(commands)
    add_report_parsers(commands)
    cli_security.add_parsers(commands)
    cli_privacy.add_parsers(commands)
    return parser


def _print(payload: dict, as_json: bool, lines: list[str]) -> None:
    if as_json:
        print(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    else:
        print("\n".join(lines))


def cmd_demo(db: Database, args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from .core.demo import build_demo

    def progress(message: str, fraction: float) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\r{fraction:4.0%} {message:<60}", end="", file=sys.stderr, flush=True)

    try:
        summary = build_demo(
            db, size=args.size, seed=args.seed, today=args.today, progress=progress
        )
    except ValueError as exc:
        print(f"volunteerdesk: {exc}", file=sys.stderr)
        return 1
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)
    payload = asdict(summary)
    lines = [f"Demo data ({args.size}, seed {args.seed}) written to {db.name}:"]
    lines += [f"  {key.replace('_', ' ')}: {value}" for key, value in payload.items()]
    _print(payload, args.json, lines)
    return 0


def cmd_info(db: Database, args: argparse.Namespace) -> int:
    from .core.info import database_info

    with db.uow() as session:
        info = database_info(session)
    payload = {"database": db.name, "user": db.username, **info}
    lines = [f"Database: {db.name}", f"User: {db.username}"]
    lines += [f"{key.replace('_', ' ').capitalize()}: {value}" for key, value in info.items()]
    _print(payload, args.json, lines)
    return 0


def cmd_check(db: Database, args: argparse.Namespace) -> int:
    from .core.compliance.breaches import breaches, expiries
    from .core.compliance.engine import ComplianceData
    from .core.compliance.rules import State
    from .core.lookup import NotFound, find_site
    from .core.validation import format_uk_date

    on = args.date or date.today()
    with db.uow() as session:
        site_id, site_name = None, "every site"
        if args.site:
            try:
                site_id, site_name = find_site(session, args.site)
            except NotFound as exc:
                print(f"volunteerdesk: {exc}", file=sys.stderr)
                return 2
        data = ComplianceData.load(session)
        items = expiries(data, on, site_id)
        broken = breaches(session, data, on, site_id=site_id)

    def group(*states: State) -> list:
        return [i for i in items if i.state in states]

    sections = [
        ("expired", "Expired or refused", group(State.EXPIRED, State.REFUSED)),
        ("expiring", f"Expiring within {data.warning_days} days", group(State.EXPIRING)),
        ("pending", "Pending clearances and booked training, oldest first", group(State.PENDING)),
    ]
    payload: dict = {"date": on.isoformat(), "site": site_name}
    lines = [f"Compliance check for {site_name} on {format_uk_date(on)}"]
    for key, title, found in sections:
        payload[key] = [
            {
                "volunteer_id": i.volunteer_id,
                "volunteer": i.volunteer,
                "requirement": i.requirement,
                "state": i.state.value,
                "expires_on": i.expires_on,
                "since": i.since,
                "renewal_in_progress": i.renewal_in_progress,
                "reason": i.reason,
            }
            for i in found
        ]
        lines.append(f"\n{title}: {len(found)}")
        lines += [f"  {i.volunteer}: {i.reason}" for i in found]
    payload["breaches"] = [
        {
            "assignment_id": b.assignment_id,
            "volunteer_id": b.volunteer_id,
            "volunteer": b.volunteer,
            "site": b.site,
            "post": b.post,
            "date": b.day,
            "start": b.start.strftime("%H:%M"),
            "reasons": list(b.reasons),
        }
        for b in broken
    ]
    lines.append(f"\nAssignments that will break a rule: {len(broken)}")
    lines += [f"  {b.summary}" for b in broken]
    _print(payload, args.json, lines)
    return 1 if broken else 0


def cmd_backup(db: Database, args: argparse.Namespace) -> int:
    from .core.backup import BackupError, backup_now
    from .core.settings import load_settings

    with db.uow() as session:
        settings = load_settings(session)
    try:
        path = backup_now(
            db, settings.backup_folder or None, settings.backups_to_keep, to_file=args.output
        )
    except BackupError as exc:
        print(f"volunteerdesk: {exc}", file=sys.stderr)
        return 2
    size = path.stat().st_size
    _print(
        {"backup": str(path), "bytes": size},
        args.json,
        [f"Backed up {db.name} to {path} ({size / 1_048_576:.1f} MB)."],
    )
    return 0


def restore_database(target: str | None, args: argparse.Namespace) -> int:
    """``restore`` works on the file, not an open database: it must not be in use."""
    from sqlalchemy.engine import make_url

    from .core.db import normalise_url

    url = normalise_url(target)
    if make_url(url).get_backend_name() != "sqlite":
        print(
            "volunteerdesk: restore works on database files; a shared server is restored "
            "on the server.",
            file=sys.stderr,
        )
        return 2
    target_path = make_url(url).database
    try:
        safety = cli_security.restore_for_cli(args.file, target_path)
    except DatabaseError as exc:
        said = str(exc) if "Nothing was changed" in str(exc) else f"{exc} Nothing was changed."
        print(f"volunteerdesk: {said}", file=sys.stderr)
        return 2
    lines = [f"Restored {args.file} to {target_path}."]
    if safety:
        lines.append(f"The database it replaced was kept as {safety}.")
    _print(
        {
            "restored": str(args.file),
            "database": target_path,
            "previous": str(safety) if safety else None,
        },
        args.json,
        lines,
    )
    return 0


COMMANDS: dict[str, Callable[[Database, argparse.Namespace], int]] = {
    "privacy": cli_privacy.run,
    "demo": cmd_demo,
    "info": cmd_info,
    "check": cmd_check,
    "backup": cmd_backup,
    "rota": cli_rota.run,
    "import": cli_import.run,
    "report": run_report,
    "export": run_export,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in (None, "gui"):
        from .ui.app import run

        return run(args.db)
    if args.command == "restore":
        return restore_database(args.db, args)
    if args.command == "encryption":  # works on the file, with nothing else open
        return cli_security.run(args.db, args)
    try:
        db = cli_security.open_for_cli(args.db)  # asks for a passphrase on a terminal only
    except DatabaseError as exc:
        print(f"volunteerdesk: {exc}", file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](db, args)
    except BrokenPipeError:  # the output was piped into something that stopped reading
        sys.stderr.close()
        return 0
    finally:
        db.dispose()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
