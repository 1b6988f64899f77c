"""``volunteerdesk rota``: generate shifts, auto-fill them, and list the gaps.

Registered by ``cli.py`` with ``cli_rota.add_parser(commands)`` and
``COMMANDS["rota"] = cli_rota.run``. Sites by name or id, dates ISO (YYYY-MM-DD);
without ``--site`` every site. Exit status: 0 done; 1 it ran but something needs
attention (a pattern that cannot be read; ``gaps``: places are unfilled); 2 it could
not run (an unknown site, dates the wrong way round).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from .core.db import Database


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (use YYYY-MM-DD)") from None


def _range(parser: argparse.ArgumentParser, *, today: bool = False) -> None:
    parser.add_argument("--site", help="a site's name or id (default: every site)")
    parser.add_argument(
        "--from", dest="start", type=_iso_date, required=True, metavar="DATE", help="first day"
    )
    parser.add_argument(
        "--to", dest="end", type=_iso_date, required=True, metavar="DATE", help="last day"
    )
    if today:
        parser.add_argument(
            "--today",
            type=_iso_date,
            default=None,
            metavar="DATE",
            help="sessions before this day are left alone (default: today)",
        )
    parser.add_argument("--json", action="store_true", help="print as JSON")


def add_parser(commands) -> None:
    """Add ``rota`` and its sub-commands to the main parser's sub-parsers."""
    rota = commands.add_parser(
        "rota",
        help="generate shifts, auto-fill them, list the gaps",
        description="Shifts from the posts' repeat patterns, a fair auto-fill that keeps "
        "every rule, and the places still unfilled with the reasons why.",
    )
    actions = rota.add_subparsers(dest="rota_command", metavar="ACTION", required=True)
    generate = actions.add_parser(
        "generate",
        help="make the shifts of a date range from the repeat patterns",
        description="Make the shifts of a date range from each post's repeat patterns, "
        "skipping closure days and (where the site closes on them) bank holidays. Safe "
        "to run again: nothing is made twice and nothing made is changed.",
    )
    _range(generate)
    fill = actions.add_parser(
        "fill",
        help="propose volunteers for open places and write them",
        description="Fill the open places (each session up to its minimum) with eligible "
        "volunteers, spreading the load fairly, and write them as proposed assignments. "
        "Prints what it adds and every place it cannot fill, with the reasons.",
    )
    _range(fill, today=True)
    fill.add_argument("--dry-run", action="store_true", help="show the proposal, write nothing")
    fill.add_argument(
        "--to-maximum",
        action="store_true",
        help="then fill on up to each session's maximum from whoever is left",
    )
    gaps = actions.add_parser(
        "gaps",
        help="list the unfilled places and why",
        description="List the places below their session's minimum, each with how many "
        "volunteers each rule rules out, who is free to fill it, and the smallest change "
        "that would. Exit status 1 when there are any, so it can run as a scheduled task.",
    )
    _range(gaps, today=True)


def _print(payload: dict, as_json: bool, lines: list[str]) -> None:
    if as_json:
        print(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    else:
        print("\n".join(lines))


def _hm(value) -> str:
    return value.strftime("%H:%M")


def _gap_json(gap) -> dict:
    return {
        "shift_id": gap.shift_id,
        "date": gap.day,
        "start": _hm(gap.start),
        "end": _hm(gap.end),
        "site": gap.site,
        "post": gap.post,
        "places": gap.places,
        "considered": gap.considered,
        "ruled_out": {rule.value: n for rule, n in gap.counts},
        "explanation": gap.explanation,
        "free": list(gap.free),
        "suggestion": gap.suggestion,
        "suggestions": list(gap.suggestions),
    }


def _gap_lines(gaps) -> list[str]:
    places = sum(g.places for g in gaps)
    lines = [f"\nUnfilled places: {places}"]
    for gap in gaps:
        lines.append(f"  {gap.heading}")
        lines.append(f"    {gap.explanation}")
        if gap.free:
            lines.append(f"    Free: {', '.join(gap.free)}")
        if gap.suggestion:
            lines.append(f"    Smallest change: {gap.suggestion}")
    return lines


def run(db: Database, args: argparse.Namespace) -> int:
    from .core.lookup import NotFound, find_site

    if args.end < args.start:
        print("volunteerdesk: --to is before --from.", file=sys.stderr)
        return 2
    with db.uow() as session:
        site_id, site = None, "every site"
        if args.site:
            try:
                site_id, site = find_site(session, args.site)
            except NotFound as exc:
                print(f"volunteerdesk: {exc}", file=sys.stderr)
                return 2
        action = {"generate": _generate, "fill": _fill, "gaps": _gaps}[args.rota_command]
        code, payload, lines = action(db, session, args, site_id, site)
    # Printed once the unit of work is committed: a closed pipe cannot undo the writes.
    _print(payload, args.json, lines)
    return code


def _generate(db, session, args, site_id, site) -> int:
    from .core.scheduling.generate import generate_shifts
    from .core.validation import format_uk_date

    result = generate_shifts(session, args.start, args.end, site_id, username=db.username)
    payload = {
        "site": site,
        "from": args.start,
        "to": args.end,
        "created": result.created,
        "already_there": result.already_there,
        "created_by_site": result.by_site,
        "skipped": [
            {"site": s.site, "post": s.post, "date": s.day, "reason": s.reason}
            for s in result.skipped
        ],
        "problems": list(result.problems),
    }
    lines = [
        f"{result.summary}.",
        f"Already there: {result.already_there}.",
        f"Skipped (site closed): {len(result.skipped)}",
    ]
    lines += [f"  {format_uk_date(s.day)} {s.site}, {s.post}: {s.reason}" for s in result.skipped]
    if result.problems:
        lines.append(f"Patterns that could not be read: {len(result.problems)}")
        lines += [f"  {p}" for p in result.problems]
    return (1 if result.problems else 0), payload, lines


def _progress(args):
    if args.json or not sys.stderr.isatty():
        return None

    def show(message: str, fraction: float) -> None:
        end = "\n" if fraction >= 1 else ""
        print(f"\r{fraction:4.0%} {message:<40}", end=end, file=sys.stderr, flush=True)

    return show


def _fill(db, session, args, site_id, site) -> int:
    from .core.scheduling.autofill import accept_proposal, propose_fill
    from .core.validation import format_uk_date

    proposal = propose_fill(
        session,
        args.start,
        args.end,
        site_id,
        progress=_progress(args),
        to_maximum=args.to_maximum,
        today=args.today or date.today(),
    )
    written, skipped = 0, ()
    if not args.dry_run and proposal.additions:
        accepted = accept_proposal(session, proposal, db.username)
        written, skipped = len(accepted.created), accepted.skipped
    payload = {
        "site": site,
        "from": args.start,
        "to": args.end,
        "dry_run": args.dry_run,
        "to_maximum": args.to_maximum,
        "places_open": proposal.places_open,
        "filled": proposal.filled,
        "written": written,
        "added": [
            {
                "shift_id": a.shift_id,
                "date": a.day,
                "start": _hm(a.start),
                "end": _hm(a.end),
                "site": a.site,
                "post": a.post,
                "volunteer_id": a.volunteer_id,
                "volunteer": a.volunteer,
                "why": a.why,
            }
            for a in proposal.additions
        ],
        "skipped": list(skipped),
        "gaps": [_gap_json(g) for g in proposal.gaps],
    }
    period = f"{format_uk_date(args.start)} to {format_uk_date(args.end)}"
    done = "dry run: nothing written" if args.dry_run else f"{written} written as proposed"
    lines = [
        f"Auto-fill for {site} from {period}",
        f"{proposal.filled} of {proposal.places_open} open places filled; "
        f"{len(proposal.additions)} assignments ({done})",
    ]
    lines += [f"  {a.summary} — {a.why}" for a in proposal.additions]
    if skipped:
        lines.append(f"\nNot written, no longer possible: {len(skipped)}")
        lines += [f"  {s}" for s in skipped]
    lines += _gap_lines(proposal.gaps)
    return 0, payload, lines


def _gaps(db, session, args, site_id, site) -> int:
    from .core.scheduling.autofill import open_gaps
    from .core.validation import format_uk_date

    gaps = open_gaps(session, args.start, args.end, site_id, today=args.today or date.today())
    payload = {
        "site": site,
        "from": args.start,
        "to": args.end,
        "places": sum(g.places for g in gaps),
        "gaps": [_gap_json(g) for g in gaps],
    }
    period = f"{format_uk_date(args.start)} to {format_uk_date(args.end)}"
    lines = [f"Gaps at {site} from {period}"] + _gap_lines(gaps)
    return (1 if gaps else 0), payload, lines
