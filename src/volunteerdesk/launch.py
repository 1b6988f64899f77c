"""The program's entry point: the window at once, or the command line.

Starting the window must not wait for the command line's modules (they import the
whole core, SQLAlchemy included), so plain ``volunteerdesk``, ``volunteerdesk --db X``
and ``volunteerdesk [--db X] gui`` go straight to the window; everything else, --help
and --version included, goes to ``cli.main``.
"""

from __future__ import annotations

import os
import sys

DB_ENV = "VOLUNTEERDESK_DB"
_NOT_GUI = object()


def gui_target(args: list[str]):
    """The database the window should open, or ``_NOT_GUI`` for a command."""
    target = os.environ.get(DB_ENV) or None
    rest = list(args)
    if rest and rest[0].startswith("--db="):
        target, rest = rest[0].split("=", 1)[1], rest[1:]
    elif len(rest) >= 2 and rest[0] == "--db":
        target, rest = rest[1], rest[2:]
    if rest in ([], ["gui"]):
        return target
    return _NOT_GUI


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = gui_target(args)
    if target is not _NOT_GUI:
        from .ui.app import run

        return run(target)
    from .cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
