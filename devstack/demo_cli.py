"""`partnerships demo load`: the command that loads the demo (`devstack.demo`, then the events
service's parts: `devstack.demo_programme` and `devstack.demo_stories`), and prints where to look."""

from __future__ import annotations

import argparse
import asyncio
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from devstack.demo import format_summary, load_demo
from devstack.demo_people import demo_people
from devstack.demo_programme import format_programme, load_programme
from devstack.demo_stories import format_stories, load_stories
from devstack.demo_webhooks import (
    SECRET_FILE,
    format_deliveries,
    settled_deliveries,
    subscribe_catcher,
)
from devstack.mailcatcher import read_mail
from devstack.ops_cli import local_signing_key
from devstack.stack import DEFAULT_PORTS, read_stack_info, stack_home


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `demo load` to the `partnerships` command."""
    demo = subparsers.add_parser("demo", help="load the partnerships of the source stories")
    commands = demo.add_subparsers(dest="demo_command", required=True, metavar="COMMAND")
    load = commands.add_parser(
        "load", help="create the five story partnerships, their schools and people (idempotent)"
    )
    load.add_argument(
        "--membership-url",
        help="default: the stack's membership service (stack.json), else "
        f"http://127.0.0.1:{DEFAULT_PORTS['membership']}",
    )
    load.add_argument(
        "--reporting-url", help="default: the stack's reporting service, if stack.json has one"
    )
    load.add_argument(
        "--events-url",
        help="default: the stack's events service, if stack.json has one; then East Kent's "
        "programme, a Suffolk support request and the rest of the stories are loaded too",
    )
    load.set_defaults(func=_load_command)


def _load_command(args: argparse.Namespace) -> int:
    info = read_stack_info() or {}
    services = info.get("services", {})
    membership_url = (
        args.membership_url
        or services.get("membership", {}).get("url")
        or f"http://127.0.0.1:{DEFAULT_PORTS['membership']}"
    )
    reporting_url = args.reporting_url or services.get("reporting", {}).get("url")
    key = local_signing_key()
    catcher = info.get("webhooks", {})
    notifications_url = services.get("notifications", {}).get("url")
    if notifications_url and catcher.get("url"):
        subscribe_catcher(notifications_url, catcher["url"], Path(info["home"]), key)
    summary = asyncio.run(load_demo(membership_url, key, reporting_url))
    print(format_summary(summary, _mail_place(info)))
    events_url = args.events_url or services.get("events", {}).get("url")
    if events_url:
        programme = asyncio.run(load_programme(membership_url, events_url, key, summary))
        print("\n" + format_programme(programme))
        stories = asyncio.run(load_stories(membership_url, events_url, key, summary))
        print("\n" + format_stories(stories))
    mail_dir = info.get("smtp", {}).get("mail_dir")
    if "notifications" in services and mail_dir:
        print("\n" + format_mail(settled_mail(Path(mail_dir))))
    secret_file = Path(info.get("home", ".")) / SECRET_FILE
    if notifications_url and catcher.get("dir") and secret_file.exists():
        where = Path(catcher["dir"])
        deliveries = settled_deliveries(where)
        print("\n" + format_deliveries(deliveries, secret_file.read_text().strip(), where))
    web_url = services.get("web", {}).get("url")
    if web_url:
        print("\n" + format_sign_in(web_url))
    return 0


SIGN_IN_AS = (
    ("priya.shah@thanetbay.example", "a teacher in East Kent"),
    ("grace.mensah@wantsum.example", "a school lead (CPD approver) in East Kent"),
    ("claire.ashby@stourvalley.example", "East Kent's coordinator"),
    ("ruth.marsden@kent-council.example", "Kent's county officer"),
)


def format_sign_in(web_url: str) -> str:
    """The last thing `./dev up` prints: the one address to open, and who to sign in as."""
    names = {p.email: p.name for p in demo_people()}
    lines = [f"Open {web_url} and sign in as one of the demo's people, for example:"]
    for email, who in SIGN_IN_AS:
        lines.append(f"  {names[email]:<15} {who:<42} {email}")
    lines.append("(The development sign-in page asks only for the email address: no password.)")
    return "\n".join(lines)


MAIL_SETTLE_SECONDS = 3.0
MAIL_WAIT_SECONDS = 30.0


def settled_mail(directory: Path) -> list[EmailMessage]:
    """The mail catcher's messages once no new one came for a few seconds (at most 30 s): the
    notifications service sends what the demo's bookings caused."""
    deadline = time.monotonic() + MAIL_WAIT_SECONDS
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = len(list(directory.glob("*.eml")))
        if count != seen:
            seen, quiet_since = count, time.monotonic()
        elif count and time.monotonic() - quiet_since >= MAIL_SETTLE_SECONDS:
            break
        time.sleep(0.5)
    return read_mail(directory)


def format_mail(messages: list[EmailMessage], shown: int = 8) -> str:
    lines = [f"Mail (notifications service): {len(messages)} messages in the mail catcher"]
    for message in messages[-shown:]:
        lines.append(f"  to {message['To']}: {message['Subject']}")
    if len(messages) > shown:
        lines.append(
            f"  ... and {len(messages) - shown} earlier; open any .eml file in a mail program"
        )
    return "\n".join(lines)


def _mail_place(info: dict[str, Any]) -> str:
    smtp = info.get("smtp", {})
    if smtp.get("external"):
        return f"sent to {smtp.get('url')}"
    return f"{Path(smtp.get('mail_dir') or stack_home() / 'mail')}/  (one .eml file per message)"
