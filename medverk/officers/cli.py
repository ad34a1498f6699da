"""`medverk officer ...`: manage officer accounts from the command line.

medverk officer add kari --role admin --name "Kari Nordmann"   (asks for the password)
medverk officer add ola --password-stdin < file
medverk officer list
medverk officer disable ola
medverk officer reset-password ola        (prints a new random password)
medverk officer reset-totp kari           (removes a lost second factor; enrol again)
medverk officer notify                    (queue decision messages now)
medverk officer demo-inputs --count 500   (fictional input; refuses real input unless --force)
medverk officer digest-optin kari --email kari@kommune.no --frequency weekly
medverk officer digest                    (send the digest e-mails that are due)
"""

from __future__ import annotations

import argparse
import functools
import getpass
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from medverk.officers import accounts, totp
from medverk.officers.demo import RealInputPresent, insert_demo_inputs
from medverk.officers.digest import SmtpSettings, send_due_digests
from medverk.officers.errors import OfficerError
from medverk.officers.notify import notify_decisions
from medverk.officers.texts import load_texts
from medverk.settings import load_settings
from medverk.store import digest_repo
from medverk.store.db import create_engine, create_sessionmaker
from medverk.store.models.officers import DIGEST_FREQUENCIES, ROLES

__all__ = ["register"]

T = TypeVar("T")


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Passord / password: ")
    second = getpass.getpass("Gjenta / repeat: ")
    if first != second:
        raise ValueError("the passwords differ")
    return first


async def _with_session(action: Callable[[AsyncSession], Awaitable[T]]) -> T:
    engine = create_engine(load_settings().database_url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            return await action(session)
    finally:
        await engine.dispose()


Command = Callable[[argparse.Namespace], Awaitable[int]]


def _refusing(*errors: type[Exception]) -> Callable[[Command], Command]:
    """The frame every command shares: one of `errors` is printed as `error: ...` to stderr
    and the command exits 1 (nothing was changed: the session rolled back)."""

    def wrap(command: Command) -> Command:
        @functools.wraps(command)
        async def run(args: argparse.Namespace) -> int:
            try:
                return await command(args)
            except errors as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1

        return run

    return wrap


@_refusing(OfficerError, ValueError)
async def _add(args: argparse.Namespace) -> int:
    password = (
        accounts.generate_password(args.username, args.name or "")
        if args.generated
        else _read_password(args)
    )
    officer = await _with_session(
        lambda session: accounts.create_officer(
            session,
            username=args.username,
            password=password,
            role=args.role,
            display_name=args.name or "",
        )
    )
    print(f"created {officer.role} {officer.username}")
    if args.generated:
        print(f"password: {password}")
    return 0


async def _list(_args: argparse.Namespace) -> int:
    officers = await _with_session(accounts.list_officers)
    for officer in officers:
        state = "active" if officer.active else "disabled"
        last = officer.last_login_at.isoformat(timespec="minutes") if officer.last_login_at else "-"
        name = officer.display_name
        print(f"{officer.username}\t{officer.role}\t{state}\tlast login {last}\t{name}")
    if not officers:
        print("no officer accounts yet: medverk officer add <username> --role admin")
    return 0


@_refusing(OfficerError)
async def _disable(args: argparse.Namespace) -> int:
    await _with_session(lambda session: accounts.disable_officer(session, args.username))
    print(f"disabled {args.username} and ended their sessions")
    return 0


@_refusing(OfficerError)
async def _reset_totp(args: argparse.Namespace) -> int:
    await _with_session(lambda session: totp.remove_for(session, args.username))
    print(f"removed the second factor of {args.username} and ended their sessions")
    return 0


@_refusing(OfficerError, ValueError)
async def _reset(args: argparse.Namespace) -> int:
    if args.password_stdin:
        password = _read_password(args)
        await _with_session(
            lambda session: accounts.reset_password(session, args.username, password)
        )
    else:
        _, password = await _with_session(
            lambda session: accounts.reset_to_generated_password(session, args.username)
        )
    print(f"new password for {args.username} (unlocked, sessions ended)")
    if not args.password_stdin:
        print(f"password: {password}")
    return 0


async def _notify(_args: argparse.Namespace) -> int:
    texts = load_texts(load_settings().knowledge_dir)
    result = await _with_session(lambda session: notify_decisions(session, texts))
    print(f"queued {result.messages} decision messages for {result.cases} cases")
    return 0


@_refusing(RealInputPresent)
async def _demo(args: argparse.Namespace) -> int:
    secret = load_settings().secret_key
    count = await _with_session(
        lambda session: insert_demo_inputs(
            session, args.count, secret=secret, seed=args.seed, force=args.force
        )
    )
    print(f"inserted {count} fictional demo inputs")
    return 0


async def _digest(args: argparse.Namespace) -> int:
    settings = load_settings()
    smtp = SmtpSettings.from_env()
    if smtp is None:
        print("error: MEDVERK_SMTP_HOST is not set", file=sys.stderr)
        return 1
    texts = load_texts(settings.knowledge_dir)
    result = await _with_session(
        lambda session: send_due_digests(
            session, texts, smtp, public_url=settings.public_url, force=args.all
        )
    )
    print(f"sent {result.sent} digest e-mails ({result.skipped} not due or nothing new)")
    return 0


@_refusing(OfficerError)
async def _digest_optin(args: argparse.Namespace) -> int:
    async def change(session: AsyncSession) -> None:
        officer = await accounts.require_officer(session, args.username)
        frequency = "" if args.frequency == "off" else args.frequency
        if frequency and "@" not in args.email:
            raise OfficerError("--email is needed to opt in")
        await digest_repo.set_digest(
            session,
            officer.id,
            email=args.email,
            frequency=frequency,
            committee=args.committee,
            malform=args.malform,
        )

    await _with_session(change)
    print(f"digest for {args.username}: {args.frequency}")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `medverk officer ...` to the CLI."""
    officer = subparsers.add_parser("officer", help="officer accounts and the officer app")
    sub = officer.add_subparsers(dest="officer_command", required=True)

    add = sub.add_parser("add", help="create an officer account")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default="officer")
    add.add_argument("--name", help="display name")
    how = add.add_mutually_exclusive_group()
    how.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    how.add_argument(
        "--generate-password",
        dest="generated",
        action="store_true",
        help="make a random password and print it once",
    )
    add.set_defaults(func=_add)

    sub.add_parser("list", help="list officer accounts").set_defaults(func=_list)

    disable = sub.add_parser("disable", help="disable an account and end its sessions")
    disable.add_argument("username")
    disable.set_defaults(func=_disable)

    reset = sub.add_parser(
        "reset-password", help="set a new password (printed, or read with --password-stdin)"
    )
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true")
    reset.set_defaults(func=_reset)

    reset_totp = sub.add_parser(
        "reset-totp", help="remove a lost second factor (an admin enrols again at login)"
    )
    reset_totp.add_argument("username")
    reset_totp.set_defaults(func=_reset_totp)

    sub.add_parser(
        "notify", help="tell citizens about decisions on cases they gave input on"
    ).set_defaults(func=_notify)

    demo = sub.add_parser("demo-inputs", help="insert fictional input to try the app")
    demo.add_argument("--count", type=int, default=200)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--force", action="store_true", help="add demo input even beside real input")
    demo.set_defaults(func=_demo)

    digest = sub.add_parser("digest", help="send the digest e-mails that are due now")
    digest.add_argument("--all", action="store_true", help="send every digest, due or not")
    digest.set_defaults(func=_digest)

    optin = sub.add_parser("digest-optin", help="opt an officer in or out of the digest")
    optin.add_argument("username")
    optin.add_argument("--email", default="")
    optin.add_argument("--frequency", choices=(*DIGEST_FREQUENCIES, "off"), default="daily")
    optin.add_argument("--committee", default="", help="only this committee (default: all)")
    optin.add_argument("--malform", choices=("nn", "nb"), default="nn")
    optin.set_defaults(func=_digest_optin)
