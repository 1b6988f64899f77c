"""``volunteerdesk report ...`` (printed documents) and ``volunteerdesk export ...``
(calendars and spreadsheets), over the same functions the window calls.

``add_parsers(commands)`` adds both sub-commands to the main parser's sub-parsers;
``run_report`` and ``run_export`` run them on an open database. Each says what it wrote
(pages, events or rows), as JSON with ``--json``. Exit status: 0 done,
2 the options were wrong (an unknown site, a bad period, a file that cannot be written).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

REPORTS = ("rota", "desk-sheet", "gate-list", "clearance", "expiry", "schedule", "activity")
# the same names as volunteerdesk.core.reports.catalogue.DOCUMENTS (a test checks)
DEFAULT_WEEKS = 4  # schedules, calendars and rota exports without an end date


class OptionError(Exception):
    """Options that cannot make the document; the message is for the user."""


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (use YYYY-MM-DD)") from None


def _days(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of days") from None
    if not 1 <= n <= 730:
        raise argparse.ArgumentTypeError("give a number of days from 1 to 730")
    return n


def _output(parser: argparse.ArgumentParser, suffix: str) -> None:
    parser.add_argument(
        "-o", "--output", required=True, metavar=f"FILE{suffix}", help="the file to write"
    )


def _site(parser: argparse.ArgumentParser, required: bool, what: str = "") -> None:
    parser.add_argument(
        "--site",
        required=required,
        help=f"a site's name or id{what}",
    )


def _json(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--json", action="store_true", help=f"print the file written and {what} as JSON"
    )


def _range(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument("--from", dest="start", type=_iso_date, help=f"first day ({default})")
    parser.add_argument("--to", dest="end", type=_iso_date, help="last day")


def add_parsers(commands) -> None:
    """Add ``report`` and ``export`` to the main parser's sub-commands."""
    report = commands.add_parser(
        "report",
        help="make a printed document (PDF)",
        description="Make an A4 PDF: the rota, a desk sheet, a gate list, the clearance or "
        "expiry report, a volunteer's schedule or the activity summary. Sites and "
        "volunteers by name or id; dates as YYYY-MM-DD.",
    )
    docs = report.add_subparsers(dest="document", metavar="DOCUMENT", required=True)

    rota = docs.add_parser(
        "rota",
        help="a week or a month of the rota (landscape)",
        description="A site's rota (or one post's) for a week or a month.",
    )
    _site(rota, True)
    rota.add_argument("--post", help="only this post (its name or id)")
    rota.add_argument("--date", type=_iso_date, help="a day in the week or month (default today)")
    rota.add_argument("--period", choices=["week", "month"], default="week")
    _range(rota, "instead of --date and --period")
    _output(rota, ".pdf")
    _json(rota, "its number of pages")

    desk = docs.add_parser(
        "desk-sheet",
        help="one session of one desk, to fill in by hand",
        description="The sheet for one session of a desk.",
    )
    _site(desk, True)
    desk.add_argument("--date", type=_iso_date, help="the day (default today)")
    desk.add_argument("--session", choices=["morning", "afternoon", "evening"])
    desk.add_argument("--post", help="the desk's name or id, when the site has several")
    _output(desk, ".pdf")
    _json(desk, "its number of pages")

    gate = docs.add_parser(
        "gate-list",
        help="who is expected at an establishment on a day",
        description="The gate (security) list of a prison for a day.",
    )
    _site(gate, True)
    gate.add_argument("--date", type=_iso_date, help="the day (default today)")
    gate.add_argument(
        "--forenames-only",
        action="store_true",
        help="the list prisoners may see: preferred forenames only",
    )
    _output(gate, ".pdf")
    _json(gate, "its number of pages")

    clearance = docs.add_parser(
        "clearance",
        help="clearances for a security department",
        description="Every volunteer's clearances at a site, with "
        "what expires soon and what is pending.",
    )
    _site(clearance, False, " (default: every site, one section each)")
    clearance.add_argument("--date", type=_iso_date, help="as of this day (default today)")
    clearance.add_argument(
        "--within",
        type=_days,
        default=90,
        metavar="N",
        help="the expiring section covers N days (default 90)",
    )
    _output(clearance, ".pdf")
    _json(clearance, "its number of pages")

    expiry = docs.add_parser(
        "expiry",
        help="what lapses in the next 30, 60, 90 days",
        description="Training and clearances lapsing soon, by volunteer, "
        "with their phone and email.",
    )
    _site(expiry, False, " (default: every site)")
    expiry.add_argument("--date", type=_iso_date, help="as of this day (default today)")
    expiry.add_argument(
        "--within", type=_days, default=90, metavar="N", help="look N days ahead (default 90)"
    )
    _output(expiry, ".pdf")
    _json(expiry, "its number of pages")

    schedule = docs.add_parser(
        "schedule",
        help="a volunteer's own shifts, as a letter or card",
        description="One volunteer's sessions for a period.",
    )
    schedule.add_argument("--volunteer", required=True, help="their name or id")
    _range(schedule, f"default today, for {DEFAULT_WEEKS} weeks")
    schedule.add_argument("--format", choices=["letter", "card"], default="letter")
    _output(schedule, ".pdf")
    _json(schedule, "its number of pages")

    activity = docs.add_parser(
        "activity",
        help="sessions, hours and signposting, with charts",
        description="The activity summary for a month or a quarter.",
    )
    _site(activity, False, " (default: every site)")
    activity.add_argument("--period", choices=["month", "quarter"], default="month")
    activity.add_argument(
        "--date", type=_iso_date, help="a day in the period (default: the last complete one)"
    )
    _range(activity, "instead of --period and --date")
    _output(activity, ".pdf")
    _json(activity, "its number of pages")

    export = commands.add_parser(
        "export",
        help="write a calendar (.ics) or a spreadsheet (CSV, XLSX)",
        description="Export a volunteer's shifts or a site's rota as an iCalendar file, or "
        "the rota or the volunteer list as CSV or XLSX.",
    )
    kinds = export.add_subparsers(dest="kind", metavar="WHAT", required=True)
    ics = kinds.add_parser(
        "ics",
        help="a calendar of shifts (RFC 5545)",
        description="One volunteer's shifts, or a site's rota, as .ics.",
    )
    who = ics.add_mutually_exclusive_group(required=True)
    who.add_argument("--volunteer", help="a volunteer's name or id")
    who.add_argument("--site", help="a site's name or id")
    _range(ics, f"default today, for {DEFAULT_WEEKS} weeks")
    _output(ics, ".ics")
    _json(ics, "how many events it holds")
    for name, text in (("rota", "a site's rota"), ("volunteers", "the volunteer list")):
        table = kinds.add_parser(
            name, help=f"{text} as CSV or XLSX", description=f"Write {text} as CSV or XLSX."
        )
        if name == "rota":
            _site(table, True)
            _range(table, f"default today, for {DEFAULT_WEEKS} weeks")
        table.add_argument(
            "--format", choices=["csv", "xlsx"], help="default: from the file's extension"
        )
        _output(table, "")
        _json(table, "how many rows it holds")


# ----- running ----------------------------------------------------------------------------
def _fail(message: str) -> int:
    print(f"volunteerdesk: {message}", file=sys.stderr)
    return 2


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _done(args, payload: dict, noun: str) -> int:
    """Say what was written: a line for people, or JSON with ``--json``."""
    if args.json:
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        count = payload[noun + "s"]
        print(f"Wrote {payload['file']} ({_plural(count, noun)})")
    return 0


def _writable(path: str) -> Path:
    target = Path(path).expanduser()
    if not target.parent.is_dir():
        raise OptionError(f"cannot write {target}: the folder {target.parent} does not exist")
    return target


def _span(args, default_days: int | None = None) -> tuple[date, date]:
    start = args.start or date.today()
    end = args.end or start + timedelta(days=(default_days or DEFAULT_WEEKS * 7) - 1)
    if end < start:
        raise OptionError(f"--to {end.isoformat()} is before --from {start.isoformat()}")
    return start, end


def run_report(db, args: argparse.Namespace) -> int:
    from .core.lookup import NotFound
    from .core.reports.data import ReportError

    try:
        out = _writable(args.output)
        with db.uow() as session:
            pages = _make_report(session, db.username, args, out)
    except (NotFound, ReportError, OptionError) as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc.strerror or exc}")
    payload = {"file": str(out), "document": args.document, "pages": pages}
    return _done(args, payload, "page")


def _page_count(pdf: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def _make_report(session, username: str, args, out: Path) -> int:
    """Write the document to ``out``; its number of pages."""
    from .core.lookup import find_site, find_volunteer
    from .core.reports import catalogue
    from .core.reports import data as periods

    doc = args.document
    today = date.today()
    site_id = find_site(session, args.site)[0] if getattr(args, "site", None) else None
    post = getattr(args, "post", None)
    post_id = periods.find_post(session, site_id, post)[0] if post and site_id else None
    options = catalogue.ReportOptions(
        site_id=site_id,
        post_id=post_id,
        day=getattr(args, "date", None),
        period=getattr(args, "period", "") or "",
        session_name=getattr(args, "session", None),
        forenames_only=getattr(args, "forenames_only", False),
        within=getattr(args, "within", 90),
        format=getattr(args, "format", "letter"),
    )
    if doc == "schedule":
        options = replace(
            options, volunteer_id=find_volunteer(session, args.volunteer)[0], day=None
        )
    if doc in ("rota", "schedule", "activity") and (args.start or args.end):
        if doc == "activity" and not (args.start and args.end):
            raise OptionError("give both --from and --to, or neither")
        start, end = _span(args, 7 if doc == "rota" else None)
        options = replace(options, start=start, end=end)
    elif doc == "schedule":
        options = replace(options, start=today, end=_span(args)[1])
    pdf = catalogue.build(session, doc, options, username, today)
    out.write_bytes(pdf)
    return _page_count(pdf)


def run_export(db, args: argparse.Namespace) -> int:
    from .core.lookup import NotFound

    try:
        out = _writable(args.output)
        with db.uow() as session:
            payload = _make_export(session, args, out)
    except (NotFound, OptionError, LookupError) as exc:
        return _fail(str(exc).strip("'\""))
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc.strerror or exc}")
    return _done(args, {"file": str(out), **payload}, "event" if args.kind == "ics" else "row")


def _make_export(session, args, out: Path) -> dict:
    """Write the file to ``out``; what it holds, for the summary."""
    from .core.exports import ics, tables
    from .core.lookup import find_site, find_volunteer

    if args.kind == "ics":
        start, end = _span(args)
        if args.volunteer:
            data = ics.volunteer_calendar(
                session, find_volunteer(session, args.volunteer)[0], start, end
            )
        else:
            data = ics.site_calendar(session, find_site(session, args.site)[0], start, end)
        ics.write_ics(data, out)
        return {"format": "ics", "events": data.count(b"BEGIN:VEVENT")}
    fmt = args.format or out.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        raise OptionError("choose --format csv or xlsx (or name the file .csv or .xlsx)")
    write = tables.write_csv if fmt == "csv" else tables.write_xlsx
    if args.kind == "rota":
        site_id, site_name = find_site(session, args.site)
        start, end = _span(args)
        rows = tables.rota_rows(session, site_id, start, end)
        extra = (f"Rota {site_name}",) if fmt == "xlsx" else ()
        write(rows, tables.ROTA_COLUMNS, out, *extra)
    else:
        rows = tables.volunteer_rows(session, date.today())
        extra = ("Volunteers",) if fmt == "xlsx" else ()
        write(rows, tables.VOLUNTEER_COLUMNS, out, *extra)
    return {"format": fmt, "rows": len(rows)}


def main(argv: list[str] | None = None) -> int:
    """The two commands on their own (``python -m volunteerdesk.cli_report --db X report
    ...``), with the main command line's options and exit codes."""
    from .cli_security import open_for_cli
    from .core.db import DatabaseError

    parser = argparse.ArgumentParser(prog="volunteerdesk")
    parser.add_argument("--db", metavar="URL", default=os.environ.get("VOLUNTEERDESK_DB") or None)
    add_parsers(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    args = parser.parse_args(argv)
    try:
        db = open_for_cli(args.db)  # asks for a passphrase on a terminal only
    except DatabaseError as exc:
        return _fail(str(exc))
    try:
        return (run_report if args.command == "report" else run_export)(db, args)
    finally:
        db.dispose()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
