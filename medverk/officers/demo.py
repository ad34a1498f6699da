"""Fictional demo input for trying out the officer app, benchmarks and browser tests.

The texts are short, invented opinions of the kind young people write (some
Nynorsk, some Bokmål, some dialect and emoji); they name no real person. The
cases are the sample cases in the store when there are any, else invented
case numbers marked as demo.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.identity import sender_key
from medverk.inputs.age import AGE_GROUPS as KNOWN_AGE_GROUPS
from medverk.names import CHANNELS
from medverk.store import demo_repo

__all__ = ["DEMO_CASES", "RealInputPresent", "demo_rows", "insert_demo_inputs"]

DEMO_CASES: Sequence[tuple[str, str, str]] = (
    ("26/1001", "Demo: ny skatepark ved skulen", "Demo: Ungdomsrådet"),
    ("26/1002", "Demo: busstilbod om kvelden", "Demo: Hovudutval for teknikk"),
    ("26/1003", "Demo: opningstider på biblioteket", "Demo: Kommunestyret"),
)
_OPENINGS = (
    "Eg synest",
    "Jeg synes",
    "Æ mene",
    "Ka med at",
    "Vi treng",
    "Vi trenger",
    "Det hadde vore fint med",
    "Det hadde vært fint med",
    "Koss blir det med",
    "Kan dokke få til",
    "Hvorfor ikke",
)
_SUBJECTS = (
    "skateparken",
    "bussen om kvelden",
    "biblioteket",
    "lys på gangvegen",
    "fotballbana",
    "ungdomsklubben",
    "sykkelvegen til skulen",
    "benkar i parken",
    "gratis wifi på torget",
    "bassenget",
    "busskortet for ungdom",
    "trygg skuleveg",
    "meir grøntområde",
    "toaletta i parken",
)
_ENDINGS = (
    "burde vere ope lenger",
    "er for dårleg",
    "må bli betre",
    "er veldig viktig for oss",
    "bør bli gratis",
    "er skummelt om vinteren",
    "er heilt topp 👍",
    "trengs før sommaren",
    "må prioriterast!!",
    "er bra men kan bli bedre",
    "har vi venta lenge på",
    "😡 ingen bryr seg",
    "er for dyrt",
)
AGE_GROUPS = (*KNOWN_AGE_GROUPS, None)


def _text(rng: random.Random) -> str:
    parts = [rng.choice(_OPENINGS), rng.choice(_SUBJECTS), rng.choice(_ENDINGS)]
    if rng.random() < 0.3:
        parts += ["og", rng.choice(_SUBJECTS), rng.choice(_ENDINGS)]
    return " ".join(parts)


def demo_rows(
    count: int,
    *,
    cases: Sequence[tuple[str, str, str]],
    secret: str,
    rng: random.Random,
    now: datetime | None = None,
    days: int = 180,
) -> list[dict[str, object]]:
    """`count` input rows (as dicts for a bulk insert), spread over the last `days` days."""
    end = now or utcnow()
    rows: list[dict[str, object]] = []
    for _ in range(count):
        case_ref, title, committee = rng.choice(cases)
        channel = rng.choice(CHANNELS)
        created = end - timedelta(seconds=rng.randrange(days * 86400))
        status = rng.choices(("new", "read", "answered", "hidden"), weights=(60, 25, 12, 3))[0]
        wants = rng.random() < 0.3
        rows.append(
            {
                "idempotency_key": "demo-" + uuid.uuid4().hex,
                "case_ref": case_ref,
                "case_title": title,
                "committee": committee,
                "text": _text(rng),
                "malform": rng.choice(("nn", "nb")),
                "channel": channel,
                "age_group": rng.choice(AGE_GROUPS),
                "consent_contact": False,
                "contact": None,
                "wants_reply": wants,
                "sender_key": sender_key(secret, f"{channel}:demo{rng.randrange(count * 2 + 1)}"),
                "status": status,
                "hidden_reason": "Demo: skjult" if status == "hidden" else None,
                "answer": "Demo: takk for innspelet." if status == "answered" else None,
                "answered_at": created + timedelta(days=1) if status == "answered" else None,
                "created_at": created,
                "updated_at": created,
                "demo": True,
            }
        )
    return rows


async def _cases(session: AsyncSession) -> list[tuple[str, str, str]]:
    return await demo_repo.stored_cases(session, limit=50) or list(DEMO_CASES)


class RealInputPresent(RuntimeError):
    """The database holds citizens' input; demo input would mix with it."""

    def __init__(self, count: int) -> None:
        super().__init__(f"the database holds {count} real inputs; use --force to add demo input")
        self.count = count


async def insert_demo_inputs(
    session: AsyncSession,
    count: int,
    *,
    secret: str,
    seed: int = 1,
    batch: int = 5000,
    force: bool = False,
) -> int:
    """Insert `count` demo inputs (marked `demo`) on the stored (or demo) cases.

    Refuses (`RealInputPresent`) a database with real input unless `force`.
    """
    if not force:
        real = await demo_repo.count_real_inputs(session)
        if real:
            raise RealInputPresent(real)
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    cases = await _cases(session)
    done = 0
    while done < count:
        size = min(batch, count - done)
        await demo_repo.insert_inputs(session, demo_rows(size, cases=cases, secret=secret, rng=rng))
        done += size
    return done
