"""The rest of every seed story as `./dev up` leaves it, followed in the mail catcher and in the
reporting figures: membership, events, notifications and reporting on the real broker, the whole
demo loaded through their public APIs, the mail read back from the real SMTP server.

Only mail to this run's person ids counts (other tests' demo runs are on the shared broker)."""

from collections import Counter
from collections.abc import Callable
from email.message import EmailMessage

import httpx
import pytest
from conftest import SmtpServer
from reporting.conftest import Reporting

from devstack import demo
from devstack.demo_data import (
    EAST_KENT_PARTNERSHIP,
    LINCOLNSHIRE_BOARD,
    SUFFOLK_PARTNERSHIP,
    PersonSeed,
)
from devstack.demo_programme import load_programme
from devstack.demo_stories import load_stories
from devstack.demo_stories_data import (
    BOARD_ACTIONS,
    GUEST_SPEAKERS,
    MAGAZINE_PUPILS,
    REVIEWERS,
    SWAPS,
    WALK_DONATIONS,
)
from support.events import Events
from support.issuer import signing_key
from support.membership import Membership
from support.notifications import caught_up_notifications
from support.polling import eventually

pytestmark = pytest.mark.integration


def rule_and_person(message: EmailMessage) -> tuple[str, str]:
    rule, _, rest = str(message["X-Partnerships-Mail"] or "").strip().partition(":")
    return rule, rest.partition(":")[0]


def summed(field: str) -> Callable[[httpx.Response], int]:
    def total(response: httpx.Response) -> int:
        terms = response.json().get("terms", []) if response.status_code == 200 else []
        return sum(t[field] for t in terms)

    return total


async def test_every_story_reaches_the_mail_and_the_figures(
    membership: Membership,
    events: Events,
    reporting: Reporting,
    smtp_server: SmtpServer,
    kafka_bootstrap: str,
    mongodb_uri: str,
    unique_name: str,
) -> None:
    smtp = (smtp_server.host, smtp_server.port)
    async with caught_up_notifications(membership, kafka_bootstrap, mongodb_uri, unique_name, smtp):
        key = signing_key()
        partnerships = await demo.load_demo(membership.url, key)
        await load_programme(membership.url, events.url, key, partnerships)
        stories = await load_stories(membership.url, events.url, key, partnerships)
        loader = demo.Loader(membership.http, signing_key())
        await loader.read_existing()

        def person(seed: PersonSeed) -> str:
            return str(loader.people[seed.email.lower()]["id"])

        speakers = {person(seed) for seed, _ in GUEST_SPEAKERS}
        owners = {person(owner) for owner, _, _ in BOARD_ACTIONS}
        reviewers = {person(seed) for seed in REVIEWERS[:2]}
        trainees = {person(leg.visitor) for swap in SWAPS for leg in swap.legs}
        expected = {
            "contributor_invited": speakers,
            "board_action_assigned": owners,
            "peer_review_planned": reviewers,
            "placement_swap_agreed": trainees,
        }

        def arrived() -> dict[str, set[str]]:
            found: dict[str, set[str]] = {rule: set() for rule in expected}
            for message in smtp_server.messages:
                rule, person_id = rule_and_person(message)
                if rule in found and person_id in expected[rule]:
                    found[rule].add(person_id)
            return found

        async def all_arrived() -> bool:
            return arrived() == expected

        try:
            await eventually(all_arrived, 45)
        except AssertionError:
            assert arrived() == expected  # shows what came instead
        invited = [
            m
            for m in smtp_server.messages
            if rule_and_person(m) == ("contributor_invited", person(GUEST_SPEAKERS[0][0]))
        ]
        assert invited and "Towards Equity and Excellence for All" in str(invited[0]["Subject"])

    ids = {o.name: o.id for o in partnerships.partnerships}
    officer = reporting.officer

    async def figure(pid: str, field: str, wanted: int) -> int:
        path = f"/partnerships/{pid}/participation"
        found = await reporting.eventually(path, officer, lambda r: summed(field)(r) >= wanted)
        return summed(field)(found)

    east_kent = ids[EAST_KENT_PARTNERSHIP.name]
    raised = sum(d["amount_pence"] for d in WALK_DONATIONS)
    assert await figure(east_kent, "funds_raised_pence", raised) == raised == stories.raised_pence
    pupils = sum(n for _, n, _ in MAGAZINE_PUPILS)
    assert await figure(east_kent, "pupils_published", pupils) == pupils
    assert await figure(east_kent, "placement_swaps", len(SWAPS)) == len(SWAPS)
    assert await figure(east_kent, "trainees_exchanged", 4) == 4

    lincolnshire = ids[LINCOLNSHIRE_BOARD.name]
    assert await figure(lincolnshire, "peer_reviews", 1) == 1
    assert await figure(lincolnshire, "peer_review_actions_done", 1) == 1
    terms = (
        await reporting.http.get(f"/partnerships/{lincolnshire}/participation", headers=officer)
    ).json()["terms"]
    contributors = Counter[str]()
    for term in terms:
        contributors.update(term["contributors"])
    assert contributors == {"speaker": 3}  # the launch conference's, in its term of 2015/16
    [launch] = [t for t in terms if t["contributors"]]
    assert launch["key"] == "2015-summer"

    suffolk = ids[SUFFOLK_PARTNERSHIP.name]
    published = len(SUFFOLK_PARTNERSHIP.memberships)
    assert await figure(suffolk, "case_studies_published", published) == published
