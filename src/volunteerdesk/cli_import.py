"""``volunteerdesk import volunteers|communities|training|clearances FILE``.

Reads a CSV or XLSX file, matches its columns (or takes ``--mapping``), prints what each
row would do, and writes everything in one transaction. Exit status: 0 written (or a
clean ``--dry-run``), 1 when any row is in error (nothing written), 2 when the file or
the mapping cannot be used. Possible duplicates are skipped unless ``--duplicates`` says
to create or merge them: a run with nobody to ask never guesses.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the core is imported when the command runs: start-up stays quick
    from .core.db import Database
    from .core.importing import ImportPlan

TARGET_NAMES = ("volunteers", "communities", "training", "clearances")


def add_parser(commands: Any) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        "import",
        help="bring in volunteers, communities, training or clearances from CSV or XLSX",
        description="Import a CSV (UTF-8 or Windows-1252; comma, semicolon or tab) or XLSX "
        "file. Columns are matched by their headers ('First name', 'Surname', 'DOB', "
        "'Mobile', 'DBS No.', ...). Every row's outcome is printed; nothing is written when "
        "any row is in error (exit status 1).",
    )
    parser.add_argument("target", choices=TARGET_NAMES, help="what the file holds")
    parser.add_argument("file", help="the .csv or .xlsx file")
    parser.add_argument("--sheet", metavar="NAME", help="the sheet to read (default: the first)")
    parser.add_argument(
        "--mapping",
        metavar="M",
        help="columns for fields, overriding the automatic match: a JSON file of "
        "{field: header}, or field=Header,field2=Header2 (field= leaves a field out)",
    )
    parser.add_argument(
        "--duplicates",
        choices=["skip", "create", "merge"],
        default="skip",
        help="what to do with possible duplicates (default: skip them)",
    )
    parser.add_argument("--dry-run", action="store_true", help="check and preview only")
    parser.add_argument("--json", action="store_true", help="print as JSON")
    return parser


def _overrides(text: str) -> dict[str, str]:
    from .core.importing.mapping import MappingError, parse_mapping_text

    path = Path(text)
    if text.lower().endswith(".json") or (len(text) < 250 and path.is_file()):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise MappingError(f"Cannot read the mapping file {text}: {exc.strerror}") from exc
    return parse_mapping_text(text)


def _progress(args: argparse.Namespace):
    if args.json or not sys.stderr.isatty():
        return None

    def show(message: str, fraction: float) -> None:
        print(f"\r{fraction:4.0%} {message:<60}", end="", file=sys.stderr, flush=True)

    return show


def _row_payload(r) -> dict[str, Any]:
    return {
        "row": r.row,
        "outcome": r.outcome.value,
        "label": r.label,
        "record_id": r.record_id,
        "changes": sorted(r.changes),
        "errors": [{"column": e.column, "message": e.message} for e in r.errors],
        "warnings": list(r.warnings),
        "candidates": [
            {"id": c.record_id, "row": c.row, "name": c.name, "reason": c.reason}
            for c in r.candidates
        ],
        "choice": r.choice.value if r.choice else None,
        "note": r.note,
    }


def _lines(plan: ImportPlan) -> list[str]:
    from .core.importing import Outcome, fields_for
    from .core.importing.mapping import REFUSED_REASON

    lines = [f"Importing {plan.target} from {plan.description}"]
    labels = {s.key: s.label for s in fields_for(None, plan.target)}
    columns = ", ".join(f"{h} -> {labels.get(k, k)}" for k, h in plan.mapping.items())
    lines.append(f"Columns: {columns}")
    for header in plan.ignored:
        hint = plan.hints.get(header)
        lines.append(f"Not imported: {header}" + (f" (import it as {hint})" if hint else ""))
    lines += [f"Never imported: {h} ({REFUSED_REASON})" for h in plan.refused]
    for r in plan.rows:
        text = f"  row {r.row:<5} {r.outcome.value:<10} {r.label}"
        if r.outcome is Outcome.UPDATE:
            text += f" (changes: {', '.join(r.changes)})"
        if r.note:
            text += f" ({r.note})"
        if r.outcome is Outcome.DUPLICATE:
            text += f" -> {r.choice.value if r.choice else 'undecided'}"
        lines.append(text)
        lines += [f"{'':17}may be {c.text}" for c in r.candidates if r.outcome is Outcome.DUPLICATE]
        lines += [f"{'':17}{e.column + ': ' if e.column else ''}{e.message}" for e in r.errors]
        lines += [f"{'':17}note: {w}" for w in r.warnings]
    lines.append(f"Summary: {plan.summary()}")
    return lines


def _emit(args: argparse.Namespace, payload: dict[str, Any], lines: list[str]) -> None:
    if args.json:
        print(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    else:
        print("\n".join(lines))


def run(db: Database, args: argparse.Namespace) -> int:
    from .core.importing import (
        ImportRefused,
        MappingError,
        Outcome,
        ReadError,
        build_plan,
        commit_plan,
        fields_for,
        initial_mapping,
        read_table,
    )
    from .core.importing.mapping import apply_overrides

    progress = _progress(args)
    try:
        table = read_table(args.file, args.sheet, progress=progress)
        with db.uow() as session:
            fields = fields_for(session, args.target)
            mapping, _remembered = initial_mapping(session, args.target, fields, table.headers)
            if args.mapping:
                mapping = apply_overrides(fields, table.headers, mapping, _overrides(args.mapping))
            plan = build_plan(session, args.target, table, mapping, progress=progress)
    except (ReadError, MappingError) as exc:
        print(f"volunteerdesk: {exc}", file=sys.stderr)
        return 2
    finally:
        if progress is not None:
            print(file=sys.stderr)
    plan.decide_all(args.duplicates)
    payload: dict[str, Any] = {
        "target": plan.target,
        "file": plan.source,
        "mapping": plan.mapping,
        "ignored": plan.ignored,
        "refused": plan.refused,
        "counts": plan.counts(),
        "blank_rows": plan.blank_rows,
        "rows": [_row_payload(r) for r in plan.rows],
        "dry_run": bool(args.dry_run),
        "written": False,
        "import_id": None,
    }
    lines = _lines(plan)
    errors = sum(1 for r in plan.rows if r.outcome is Outcome.ERROR)
    if errors:
        lines.append(
            f"Nothing was written: {errors} row{'s are' if errors != 1 else ' is'} in error. "
            "Correct the file and run the import again."
        )
        _emit(args, payload, lines)
        return 1
    if args.dry_run:
        lines.append("Dry run: nothing was written.")
        _emit(args, payload, lines)
        return 0
    try:
        with db.uow() as session:
            result = commit_plan(session, plan, db.username, progress=progress)
    except ImportRefused as exc:
        print(f"volunteerdesk: {exc}", file=sys.stderr)
        return 1
    payload.update(
        written=True,
        import_id=result.import_id,
        created=[w.record_id for w in result.created],
        updated=[w.record_id for w in result.updated],
    )
    lines.append(f"{result.summary} (import #{result.import_id}).")
    _emit(args, payload, lines)
    return 0
