"""`partnerships token` mints bearer tokens for local use; `partnerships deadletters` lists and
replays dead letters. Both talk to the stack in the current folder unless told otherwise."""

from __future__ import annotations

import argparse
import asyncio
import os
from datetime import timedelta
from pathlib import Path

from contracts.topics import ALL_TOPICS, DEAD_LETTER_SUFFIX
from devstack.stack import keys_dir, read_stack_info
from eventkit import deadletters
from eventkit.auth import Role, SigningKey, mint_token
from services.identity.adapters.key_files import KeyFiles

MAIN_TOPICS = [t.name for t in ALL_TOPICS if not t.name.endswith(DEAD_LETTER_SUFFIX)]


def local_keys() -> KeyFiles:
    """The identity service's keys in $IDENTITY_KEYS_DIR, else the local stack's."""
    return KeyFiles(Path(os.environ.get("IDENTITY_KEYS_DIR") or keys_dir()))


def local_signing_key() -> SigningKey:
    """The key local tools sign with: the one the identity service signs with now."""
    return local_keys().active()


def _bootstrap(given: str | None) -> str:
    if given:
        return given
    if "KAFKA_BOOTSTRAP_SERVERS" in os.environ:
        return os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    info = read_stack_info()
    if info is None:
        raise RuntimeError("no stack running here: start it or pass --kafka")
    return str(info["env"]["KAFKA_BOOTSTRAP_SERVERS"])


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    token = subparsers.add_parser("token", help="mint a bearer token for local use")
    token.add_argument("--role", choices=[r.value for r in Role], default=Role.COUNTY_OFFICER.value)
    token.add_argument("--partnership", action="append", default=[], help="repeatable")
    token.add_argument("--school", action="append", default=[], help="URN; repeatable")
    token.add_argument("--person", help="the person id the caller is")
    token.add_argument("--subject", default="local-user")
    token.add_argument(
        "--hours", type=float, default=12, help="lifetime (the services take at most 24 hours)"
    )
    token.set_defaults(func=_token)

    dead = subparsers.add_parser("deadletters", help="list or replay dead letters")
    dead_commands = dead.add_subparsers(dest="deadletters_command", required=True)
    listing = dead_commands.add_parser("list", help="every dead letter of a topic (or all)")
    listing.add_argument("--topic", help="a main topic; default: all of ours")
    listing.add_argument("--kafka", help="bootstrap servers; default: the local stack")
    listing.set_defaults(func=_list)
    replay = dead_commands.add_parser("replay", help="send chosen dead letters back to their topic")
    replay.add_argument("--topic", required=True)
    which = replay.add_mutually_exclusive_group(required=True)
    which.add_argument("--offset", type=int, action="append", help="repeatable")
    which.add_argument("--all", action="store_true")
    replay.add_argument("--kafka", help="bootstrap servers; default: the local stack")
    replay.set_defaults(func=_replay)


def _token(args: argparse.Namespace) -> int:
    print(
        mint_token(
            local_signing_key(),
            subject=args.subject,
            role=Role(args.role),
            partnerships=args.partnership,
            schools=args.school,
            person_id=args.person,
            ttl=timedelta(hours=args.hours),
        )
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    bootstrap = _bootstrap(args.kafka)
    topics = [args.topic] if args.topic else MAIN_TOPICS
    total = 0
    for topic in topics:
        letters = asyncio.run(deadletters.list_dead_letters(bootstrap, topic))
        total += len(letters)
        for letter in letters:
            h = letter.headers
            print(
                f"{letter.topic} offset={letter.offset} type={h.get('ce_type', '?')} "
                f"id={h.get('ce_id', '?')} consumer={h.get(deadletters.CONSUMER, '?')} "
                f"error={h.get(deadletters.ERROR_TYPE, '?')} "
                f"attempts={h.get(deadletters.ATTEMPTS, '?')}\n    {letter.reason}"
            )
    print(f"{total} dead letter(s)")
    return 0


def _replay(args: argparse.Namespace) -> int:
    bootstrap = _bootstrap(args.kafka)
    letters = asyncio.run(deadletters.list_dead_letters(bootstrap, args.topic))
    chosen = letters if args.all else [x for x in letters if x.offset in set(args.offset)]
    missing = set(args.offset or ()) - {x.offset for x in chosen}
    if missing:
        raise RuntimeError(f"no dead letter at offset(s) {sorted(missing)} of {args.topic}")
    sent = asyncio.run(deadletters.replay(bootstrap, chosen))
    print(f"replayed {sent} dead letter(s) onto {args.topic.removesuffix(DEAD_LETTER_SUFFIX)}")
    return 0
