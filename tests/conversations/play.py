"""Play written conversations through the gateway's `POST /api/chat` and check each reply.

A conversation file (`*.yml` beside this module) holds a list of conversations;
each has a `name`, the `malform` its replies must be in, and `turns`: what the
person writes (`user`) and what the reply must (`match`, all of them;
`match_any`, one of them) and must not (`not_match`) contain, as
case-insensitive regular expressions. Every reply must also be non-empty, have
no unfilled `{placeholder}`, be in the expected målform, and neither say
goodbye nor offer to delete data unless the turn allows it (`goodbye: true`,
`delete: true`). `malform: en` on a turn means the reply is English. Instead of
`user`, a turn can `press` a button of the reply before (its title, a regex).

`python tests/conversations/play.py URL [NAME_SUBSTRING]` plays them against a
running gateway and prints the failures and the pass rate.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

HERE = Path(__file__).resolve().parent
SAMPLE_CASES = HERE.parents[1] / "data" / "cases" / "eksempelvik.json"

GOODBYE = re.compile(r"\bha det( bra)?\b|\bhade\b", re.IGNORECASE)
DELETE_PROMPT = re.compile(r"vil du slette alt", re.IGNORECASE)
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")

# Words only one målform writes (the replies' own words; case texts are removed first).
_NYNORSK_WORDS = (
    "eg ikkje kva korleis kven kvifor kvar desse dei kjem berre noko nokon nokre "
    "innspel innspela innspelet høyring høyringa høyringar høyringsfrist høyringsfristen "
    "saka avgjord handsama vedteke sjå fleire òg heilt enno då seie meininga "
    "orsak greitt mykje sidan motteke lagra skreiv ho tek gjekk vart blir ein eit "
    "frå heime kome møtet vere sletta"
)
_BOKMAAL_WORDS = (
    "jeg ikke hva hvordan hvem hvorfor hvor disse de kommer bare noe noen "
    "innspill innspillet innspillene høring høringen høringer høringsfrist høringsfristen "
    "saken avgjort behandlet vedtatt se flere også helt ennå nå da si meningen "
    "beklager greit mye siden mottatt lagret skrev den tar gikk ble en et "
    "fra hjemme komme møtet være slettet"
)
NYNORSK = frozenset(_NYNORSK_WORDS.split())
BOKMAAL = frozenset(_BOKMAAL_WORDS.split())
_ENGLISH_WORDS = "the you and is are in we speak can or to what"
ENGLISH = frozenset(_ENGLISH_WORDS.split())
WORD = re.compile(r"[a-zæøåé]+")


def _case_texts() -> list[str]:
    """Every text of the sample cases (they are in Nynorsk whatever the reply's målform)."""
    data = json.loads(SAMPLE_CASES.read_text(encoding="utf-8"))
    texts: list[str] = []
    for meeting in data["items"]:
        texts += [meeting.get("moetested") or "", meeting.get("utvalg") or ""]
        for item in meeting.get("moetesak", []):
            texts += [item.get("offentligTittel") or "", item.get("beskrivelse") or ""]
            texts.append((item.get("innstilling") or {}).get("tekstInnhold") or "")
            decision = item.get("vedtak") or {}
            texts.append((decision.get("vedtakstekst") or {}).get("tekstInnhold") or "")
    return sorted((t for t in texts if t), key=len, reverse=True)


CASE_TEXTS = _case_texts()


def reply_malform(text: str) -> str | None:
    """nn, nb or en by the reply's own words (case texts and quotes removed), None if unclear."""
    own = text
    for case_text in CASE_TEXTS:
        own = own.replace(case_text, " ")
    own = re.sub(r"«[^»]*»", " ", own).lower()
    words = WORD.findall(own)
    nn = sum(w in NYNORSK for w in words)
    nb = sum(w in BOKMAAL for w in words)
    en = sum(w in ENGLISH for w in words)
    if en > max(nn, nb) and en >= 3:
        return "en"
    if nn == nb:
        return None
    return "nn" if nn > nb else "nb"


@dataclass
class Turn:
    user: str = ""
    press: str = ""
    match: list[str] = field(default_factory=list)
    match_any: list[str] = field(default_factory=list)
    not_match: list[str] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)
    malform: str | None = None
    goodbye: bool = False
    delete: bool = False


@dataclass
class Conversation:
    name: str
    malform: str
    turns: list[Turn]
    source: str


def load_conversations(folder: Path = HERE) -> list[Conversation]:
    """Every conversation in the folder's YAML files, in file order."""
    conversations: list[Conversation] = []
    for path in sorted(folder.glob("*.yml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            turns = [Turn(**_as_lists(t)) for t in raw["turns"]]
            conversations.append(Conversation(raw["name"], raw["malform"], turns, path.name))
    return conversations


def _as_lists(raw: dict[str, Any]) -> dict[str, Any]:
    """A single pattern may be written without a list."""
    fixed = dict(raw)
    for key in ("match", "match_any", "not_match", "buttons"):
        if isinstance(fixed.get(key), str):
            fixed[key] = [fixed[key]]
    return fixed


def check_reply(turn: Turn, malform: str, reply: dict[str, Any]) -> list[str]:
    """What is wrong with the reply to this turn (empty when it is right)."""
    messages = reply.get("messages") or []
    text = "\n".join(m.get("text") or "" for m in messages).strip()
    buttons = [f"{b.get('title')} {b.get('payload')}" for m in messages for b in m["buttons"]]
    problems: list[str] = []
    if not text:
        return ["empty reply"]
    problems += [f"missing /{p}/" for p in turn.match if not re.search(p, text, re.I)]
    if turn.match_any and not any(re.search(p, text, re.I) for p in turn.match_any):
        problems.append(f"none of {turn.match_any}")
    problems += [f"must not say /{p}/" for p in turn.not_match if re.search(p, text, re.I)]
    for pattern in turn.buttons:
        if not any(re.search(pattern, b, re.I) for b in buttons):
            problems.append(f"no button /{pattern}/ in {buttons}")
    if not turn.goodbye and GOODBYE.search(text):
        problems.append("says goodbye")
    if not turn.delete and DELETE_PROMPT.search(text):
        problems.append("offers to delete data")
    if PLACEHOLDER.search(text):
        problems.append("unfilled placeholder")
    expected = turn.malform or malform
    found = reply_malform(text)
    if found is not None and found != expected:
        problems.append(f"reply in {found}, expected {expected}")
    if expected in ("nn", "nb") and reply.get("malform") not in (None, expected):
        problems.append(f"API malform {reply.get('malform')}, expected {expected}")
    return problems


@dataclass
class Outcome:
    conversation: Conversation
    failures: list[str]


async def play(
    session: aiohttp.ClientSession, base_url: str, conversation: Conversation
) -> Outcome:
    """Play one conversation as a new person; stop at the first wrong reply."""
    sender = "conv-" + uuid.uuid4().hex[:20]
    reply: dict[str, Any] = {}
    for number, turn in enumerate(conversation.turns, 1):
        message = turn.user or _button_payload(reply, turn.press)
        if message is None:
            return Outcome(conversation, [f"turn {number}: no button /{turn.press}/ to press"])
        async with session.post(
            f"{base_url}/api/chat", json={"sender": sender, "message": message}
        ) as response:
            if response.status != 200:
                problem = f"HTTP {response.status}: {await response.text()}"
                return Outcome(conversation, [f"turn {number} {turn.user!r}: {problem}"])
            reply = await response.json()
        problems = check_reply(turn, conversation.malform, reply)
        if problems:
            said = " | ".join(m.get("text") or "" for m in reply.get("messages") or [])
            detail = f"turn {number} {message!r}: {'; '.join(problems)}\n      reply: {said}"
            return Outcome(conversation, [detail])
    return Outcome(conversation, [])


def _button_payload(reply: dict[str, Any], title: str) -> str | None:
    """The payload of the last reply's first button whose title matches."""
    for message in reply.get("messages") or []:
        for button in message.get("buttons") or []:
            if re.search(title, button.get("title") or "", re.I):
                return str(button["payload"])
    return None


async def play_all(
    base_url: str, conversations: list[Conversation], parallel: int = 3
) -> list[Outcome]:
    """Every conversation, a few at a time."""
    limit = asyncio.Semaphore(parallel)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:

        async def one(conversation: Conversation) -> Outcome:
            async with limit:
                return await play(session, base_url, conversation)

        return list(await asyncio.gather(*(one(c) for c in conversations)))


def report(outcomes: list[Outcome]) -> float:
    """Print the failures and the pass rate; return the rate."""
    failed = [o for o in outcomes if o.failures]
    for outcome in failed:
        print(f"FAIL {outcome.conversation.source}:{outcome.conversation.name}")
        for failure in outcome.failures:
            print(f"    {failure}")
    rate = (len(outcomes) - len(failed)) / len(outcomes) if outcomes else 0.0
    print(f"conversations passed: {len(outcomes) - len(failed)}/{len(outcomes)} = {rate:.1%}")
    return rate


if __name__ == "__main__":
    url = sys.argv[1]
    wanted = sys.argv[2] if len(sys.argv) > 2 else ""
    chosen = [c for c in load_conversations() if wanted in f"{c.source}:{c.name}"]
    report(asyncio.run(play_all(url, chosen)))
