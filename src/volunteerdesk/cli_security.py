"""``volunteerdesk encryption``: status, convert, change-passphrase, recovery-key; and the
passphrase handling every command uses when its database is encrypted.

Registered by ``cli.py`` with ``cli_security.add_parsers(commands)``; ``encryption`` runs
on the file with nothing else open (``cli_security.run(args.db, args)``), and every other
command opens its database with ``open_for_cli``. A passphrase comes from
$VOLUNTEERDESK_PASSPHRASE or, on a terminal only, a prompt: with no terminal a command
stops with a clear message (exit status 2) instead of waiting.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from .core.db import (
    Database,
    DatabaseError,
    PassphraseRequired,
    WrongKeyError,
    normalise_url,
    open_database,
)

NEW_PASSPHRASE_ENV = "VOLUNTEERDESK_NEW_PASSPHRASE"
TRIES = 3


def _interactive() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def prompt_passphrase(name: str, *, new: bool = False) -> str | None:
    """Ask on the terminal (twice for a new one); None when there is no terminal or the
    user gave up."""
    if not _interactive():
        return None
    if not new:
        return getpass.getpass(f"Passphrase or recovery key for {name}: ") or None
    print(
        "Choose a passphrase: at least 12 characters; a few unrelated words are good.\n"
        "Write it down somewhere safe: without it the data cannot be recovered.",
        file=sys.stderr,
    )
    for _ in range(TRIES):
        first = getpass.getpass("New passphrase: ")
        if len(first) < 8:
            print("That is too short (8 characters at least).", file=sys.stderr)
            continue
        if getpass.getpass("The same again: ") == first:
            return first
        print("The two passphrases differ. Try again.", file=sys.stderr)
    return None


def open_for_cli(target: str | None, **options) -> Database:
    """``open_database``, asking for a passphrase on a terminal when one is needed (up to
    three tries). Raises DatabaseError with a message for the user otherwise."""
    try:
        return open_database(target, **options)
    except PassphraseRequired as exc:
        if not _interactive():
            raise DatabaseError(
                f"{exc} No terminal to ask on: set VOLUNTEERDESK_PASSPHRASE for scripts "
                "and scheduled tasks."
            ) from None
        needed = exc
    for attempt in range(TRIES):
        given = prompt_passphrase(str(needed.path), new=needed.new)
        if given is None:
            break
        try:
            return open_database(target, passphrase=given, **options)
        except WrongKeyError as wrong:
            if needed.new or attempt == TRIES - 1:
                raise
            print(f"{wrong} Try again.", file=sys.stderr)
    raise DatabaseError(f"No passphrase given for {needed.path}. Nothing was changed.")


def restore_for_cli(backup: str, target: str):
    """``backup.restore``, asking on a terminal for an encrypted backup's passphrase when
    neither the environment nor the keyring has its key."""
    from .core.backup import restore

    try:
        return restore(backup, target)
    except PassphraseRequired as exc:
        given = prompt_passphrase(str(exc.path))
        if given is None:
            raise DatabaseError(
                f"{exc} No terminal to ask on: set VOLUNTEERDESK_PASSPHRASE."
            ) from None
    return restore(backup, target, passphrase=given)


def add_parsers(commands) -> None:
    encryption = commands.add_parser(
        "encryption",
        help="encrypt the database file, change its passphrase, export its recovery key",
        description="Encryption at rest with SQLCipher. The key is kept in this computer's "
        "keyring, or, where there is none, you set a passphrase that is asked for at start "
        "(or read from $VOLUNTEERDESK_PASSPHRASE). Close the program first.",
    )
    actions = encryption.add_subparsers(dest="encryption_command", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="is the database encrypted, where is its key")
    status.add_argument("--json", action="store_true", help="print as JSON")
    convert = actions.add_parser(
        "convert",
        help="encrypt an unencrypted database, keeping every record",
        description="Encrypt the database in place. The key goes to the keyring; with "
        "--passphrase (or no keyring) you choose a passphrase instead.",
    )
    convert.add_argument(
        "--passphrase", action="store_true", help="use a passphrase, not a keyring key"
    )
    convert.add_argument("--json", action="store_true", help="print the result as JSON")
    change = actions.add_parser(
        "change-passphrase",
        help="set a new passphrase (or move the key to the keyring)",
        description="Re-key the encrypted database. The new passphrase is asked for on a "
        f"terminal, or read from ${NEW_PASSPHRASE_ENV}.",
    )
    change.add_argument(
        "--use-keyring",
        action="store_true",
        help="replace the passphrase with a random key kept in the keyring",
    )
    recovery = actions.add_parser(
        "recovery-key",
        help="print the recovery key that opens the database on another computer",
        description="Print (or write to FILE) the recovery key. Anyone holding it can read "
        "the database: keep it like the database itself.",
    )
    recovery.add_argument("-o", "--output", metavar="FILE", help="write it to this file")


def _fail(message: str) -> int:
    print(f"volunteerdesk: {message}", file=sys.stderr)
    return 2


def _path(target: str | None) -> Path | None:
    from sqlalchemy.engine import make_url

    url = make_url(normalise_url(target))
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    return Path(url.database)


def _existing_key_text(path: Path) -> str | None:
    """A passphrase from the environment or terminal when the keyring cannot open it."""
    from .core.encryption import resolve_key

    try:
        resolve_key(path)
        return None
    except PassphraseRequired as exc:
        given = prompt_passphrase(str(path))
        if given is None:
            raise DatabaseError(
                f"{exc} No terminal to ask on: set VOLUNTEERDESK_PASSPHRASE."
            ) from None
        return given


def run(target: str | None, args: argparse.Namespace) -> int:
    from .core import encryption

    path = _path(target)
    if path is None:
        return _fail("encryption is for database files; a shared server protects its data itself.")
    action = args.encryption_command
    try:
        if action == "status":
            found = encryption.status(path)
            payload = {
                "database": str(path),
                "exists": path.exists(),
                "encrypted": found.encrypted,
                "key_in_keyring": found.key_in_keyring,
                "keyring_available": found.keyring_available,
            }
            if args.json:
                print(json.dumps(payload, indent=2))
            else:
                print(f"Database: {path}")
                print(f"Encrypted: {'yes' if found.encrypted else 'no'}")
                where = "the keyring" if found.key_in_keyring else "a passphrase"
                if found.encrypted:
                    print(f"Key: {where}")
                print(f"Keyring on this computer: {'yes' if found.keyring_available else 'no'}")
            return 0
        if not path.exists():
            return _fail(f"{path} does not exist.")
        if action == "convert":
            return _convert(path, args)
        if action == "change-passphrase":
            return _change(path, args)
        return _recovery(path, args)
    except DatabaseError as exc:
        return _fail(str(exc))


def _convert(path: Path, args: argparse.Namespace) -> int:
    from .core import encryption
    from .core.secrets import default_store

    if encryption.is_encrypted(path):
        return _fail(f"{path} is already encrypted.")
    open_database(path).dispose()  # refuses, untouched, what is not a current database
    store = default_store()
    passphrase = os.environ.get(encryption.PASSPHRASE_ENV) or None
    if passphrase is None and (args.passphrase or not store.available):
        passphrase = prompt_passphrase(str(path), new=True)
        if passphrase is None:
            return _fail(
                f"{path} needs a passphrase to be encrypted (there is no keyring, or you "
                "asked for one) and there is no terminal to ask on: set "
                "VOLUNTEERDESK_PASSPHRASE. Nothing was changed."
            )
    result = encryption.convert_to_encrypted(path, store, passphrase)
    where = "kept in this computer's keyring" if result.key_in_keyring else "your passphrase"
    payload = {
        "database": str(path),
        "encrypted": True,
        "key_in_keyring": result.key_in_keyring,
        "unencrypted_backups": [str(p) for p in result.plain_backups],
    }
    lines = [f"Encrypted {path}; its key is {where}."]
    if result.plain_backups:
        lines.append(
            f"{len(result.plain_backups)} older backups are not encrypted; delete them once "
            "a new backup is taken:"
        )
        lines += [f"  {p}" for p in result.plain_backups]
    lines.append("Export the recovery key now: volunteerdesk encryption recovery-key -o FILE")
    print(json.dumps(payload, indent=2) if args.json else "\n".join(lines))
    return 0


def _change(path: Path, args: argparse.Namespace) -> int:
    from .core import encryption

    if not encryption.is_encrypted(path):
        return _fail(f"{path} is not encrypted: use 'volunteerdesk encryption convert'.")
    old = _existing_key_text(path)
    new = None
    if not args.use_keyring:
        new = os.environ.get(NEW_PASSPHRASE_ENV) or prompt_passphrase(str(path), new=True)
        if not new:
            return _fail(
                f"No new passphrase: set {NEW_PASSPHRASE_ENV} or run this in a terminal. "
                "Nothing was changed."
            )
    encryption.change_passphrase(path, new, old=old)
    if new is None:
        print(f"The key of {path} is now a random key kept in this computer's keyring.")
    else:
        print(f"The passphrase of {path} is changed. It is asked for at every start.")
    return 0


def _recovery(path: Path, args: argparse.Namespace) -> int:
    from .core import encryption

    if not encryption.is_encrypted(path):
        return _fail(f"{path} is not encrypted, so it has no recovery key.")
    key = encryption.export_recovery_key(path, passphrase=_existing_key_text(path))
    text = (
        f"VolunteerDesk recovery key for {path}\n{key}\n"
        "Anyone holding this key can read the database. Keep it somewhere safe.\n"
    )
    if args.output:
        out = Path(args.output).expanduser()
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"Recovery key written to {out}.")
    else:
        print(text, end="")
    return 0
