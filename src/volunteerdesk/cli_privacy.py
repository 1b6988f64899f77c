"""``volunteerdesk privacy``: subject access exports, erasure and the retention review.

Registered by ``cli.py`` with ``cli_privacy.add_parsers(commands)`` and
``COMMANDS["privacy"] = cli_privacy.run``. VOLUNTEER is an id or a full name. Exit
status: 0 done; 1 ``review`` found people or records due; 2 it could not run (unknown
volunteer, no confirmation, nothing to write to).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from .core.db import Database


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (use YYYY-MM-DD)") from None


def add_parsers(commands) -> None:
    """Add ``privacy`` and its actions to the main parser's sub-parsers."""
    privacy = commands.add_parser(
        "privacy",
        help="subject access exports, erasure, the retention review",
        description="The rights of the people whose data VolunteerDesk holds: see "
        "everything held about them, have it erased, and the review of what has been "
        "kept longer than the organisation's retention rules.",
    )
    actions = privacy.add_subparsers(dest="privacy_command", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="everything held about a volunteer, as a PDF for them and JSON for records",
        description="Write everything held about VOLUNTEER (details, contacts, faith and "
        "consent, training, clearances with DBS details, sessions, the audit trail) as a "
        "PDF and a JSON file into FOLDER. Exporting DBS details is logged.",
    )
    export.add_argument("volunteer", metavar="VOLUNTEER", help="an id or a full name")
    export.add_argument("-o", "--output", required=True, metavar="FOLDER", help="where to write")
    export.add_argument("--json", action="store_true", help="print the result as JSON")
    erase = actions.add_parser(
        "erase",
        help="anonymise a volunteer (keeps their past sessions and hours)",
        description="Anonymise VOLUNTEER: personal details, contacts, faith, languages, "
        "availability, references and DBS numbers are removed, and the audit log's "
        "copies of them too; past sessions and hours stay as 'Former volunteer N'. "
        "The database is then vacuumed. Asks for the name on a terminal; elsewhere "
        "needs --yes.",
    )
    erase.add_argument("volunteer", metavar="VOLUNTEER", help="an id or a full name")
    erase.add_argument("--reason", required=True, help="why (recorded in the audit log)")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.add_argument("--json", action="store_true", help="print the result as JSON")
    review = actions.add_parser(
        "review",
        help="people and DBS records kept longer than the retention rules",
        description="People who left longer ago than the retention period (Settings) and "
        "DBS details kept past their rule. Exit status 1 when something is due.",
    )
    review.add_argument("--today", type=_iso_date, default=None, metavar="DATE")
    review.add_argument("--json", action="store_true", help="print as JSON")


def _fail(message: str) -> int:
    print(f"volunteerdesk: {message}", file=sys.stderr)
    return 2


def _interactive() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _print(payload: dict, as_json: bool, lines: list[str]) -> None:
    if as_json:
        print(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    else:
        print("\n".join(lines))


def run(db: Database, args: argparse.Namespace) -> int:
    action = {"export": _export, "erase": _erase, "review": _review}[args.privacy_command]
    return action(db, args)


def _find(db: Database, text: str) -> tuple[int, str]:
    from .core.lookup import find_volunteer

    with db.uow() as session:
        return find_volunteer(session, text)


def _export(db: Database, args: argparse.Namespace) -> int:
    from .core.lookup import NotFound
    from .core.privacy.subject_access import (
        build_subject_access_pdf,
        subject_access,
        write_subject_access_json,
    )
    from .core.settings import load_settings

    folder = Path(args.output).expanduser()
    try:
        vid, name = _find(db, args.volunteer)
        folder.mkdir(parents=True, exist_ok=True)
    except NotFound as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write in {folder}: {exc.strerror or exc}")
    today = date.today()
    with db.uow() as session:
        data = subject_access(session, vid, username=db.username)
        settings = load_settings(session)
    stem = f"subject-access-{vid}-{today:%Y-%m-%d}"
    try:
        json_path = write_subject_access_json(data, folder / f"{stem}.json")
        pdf_path = folder / f"{stem}.pdf"
        pdf_path.write_bytes(build_subject_access_pdf(data, settings, db.username, today))
    except OSError as exc:
        return _fail(f"cannot write in {folder}: {exc.strerror or exc}")
    _print(
        {"volunteer_id": vid, "name": name, "pdf": str(pdf_path), "json": str(json_path)},
        args.json,
        [f"Everything held about {name} (id {vid}):", f"  {pdf_path}", f"  {json_path}"],
    )
    return 0


def _erase(db: Database, args: argparse.Namespace) -> int:
    from .core.lookup import NotFound
    from .core.privacy.erasure import erase_volunteer, erasure_preview, vacuum

    if not args.reason.strip():
        return _fail("give the reason with --reason.")
    try:
        vid, _shown = _find(db, args.volunteer)
    except NotFound as exc:
        return _fail(str(exc))
    today = date.today()
    with db.uow() as session:
        preview = erasure_preview(session, vid, today)
    if preview.already_erased:
        return _fail(f"volunteer {vid} has already been erased.")
    if not args.yes:
        if not _interactive():
            return _fail("erasing cannot be undone: add --yes to confirm (not a terminal).")
        print(f"Erase {preview.name} (id {vid})? This cannot be undone.", file=sys.stderr)
        for line in preview.removed:
            print(f"  removed: {line}", file=sys.stderr)
        for line in preview.kept:
            print(f"  kept:    {line}", file=sys.stderr)
        try:
            typed = input("Type their name to confirm: ")
        except EOFError:
            typed = ""
        if typed.strip().casefold() != preview.name.casefold():
            return _fail("the name did not match: nothing was erased.")
    with db.uow() as session:
        erase_volunteer(session, vid, db.username, args.reason, today=today)
    done = vacuum(db)
    _print(
        {"volunteer_id": vid, "now": f"Former volunteer {vid}", "vacuum": done},
        args.json,
        [f"Volunteer {vid} erased: now 'Former volunteer {vid}'.", done],
    )
    return 0


def _review(db: Database, args: argparse.Namespace) -> int:
    from .core.privacy.retention import retention_review
    from .core.settings import load_settings
    from .core.validation import format_uk_date

    today = args.today or date.today()
    with db.uow() as session:
        review = retention_review(session, today, load_settings(session))
    payload = {
        "today": today,
        "leaver_rule": review.leaver_rule,
        "dbs_rule": review.dbs_rule,
        "leavers": [
            {
                "volunteer_id": x.volunteer_id,
                "name": x.name,
                "left_on": x.left_on,
                "due_on": x.due_on,
            }
            for x in review.leavers
        ],
        "dbs": [
            {
                "clearance_id": x.clearance_id,
                "volunteer_id": x.volunteer_id,
                "name": x.name,
                "granted_on": x.granted_on,
                "rule": x.rule,
            }
            for x in review.dbs
        ],
        "undated_leavers": review.undated_leavers,
    }
    lines = [review.leaver_rule]
    lines += [
        f"  {x.volunteer_id:>6}  {x.name}  left {format_uk_date(x.left_on)}" for x in review.leavers
    ] or ["  Nobody is due."]
    lines.append(review.dbs_rule)
    lines += [f"  {x.volunteer_id:>6}  {x.name}  {x.type_name}: {x.rule}" for x in review.dbs] or [
        "  No DBS record is due."
    ]
    if review.undated_leavers:
        lines.append(
            f"{review.undated_leavers} people are marked as left with no date: add the date "
            "they left so the rule can apply."
        )
    _print(payload, args.json, lines)
    return 0 if review.empty else 1
