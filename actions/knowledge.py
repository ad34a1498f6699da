"""Answers from the knowledge base, the målform switch and the fallback that helps.

- `action_ask_youth_council`, `action_ask_participation_bodies`,
  `action_ask_how_to_give_input`: texts from data/knowledge/participation.yml.
- `action_ask_conference`: Lokaldemokratikonferansen 2024, told in the past
  tense once its date has passed (medverk.clock.today()).
- `action_ask_contact_person`: the human contact in force (officer app settings,
  else MEDVERK_CONTACT_*, else contact.yml).
- `action_switch_malform`: when the message named no målform ("byt målform"),
  switch to the other one; a named one is already in the slot via the entity.
  Either way the choice is remembered (`actions.malform_choice`).
- `action_handle_fallback`: for nlu_fallback and out_of_scope. The first miss
  says what the assistant can do, with buttons; from the second miss in a row
  it also offers the human contact.

All user-facing text lives in the domain (domain/knowledge.yml) or in the
knowledge files, in both målformer; a broken knowledge file is logged and
answered with `utter_knowledge_unavailable` instead of a crash.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.base import (
    MedverkAction,
    entity,
    intent_of,
    malform_of,
    slot_set_just_before,
    user_text,
)
from actions.case_frame import COMMITTEE_SLOT, FOCUS_SLOT
from actions.malform_choice import CHOSEN_SLOT
from actions.store import get_effective, get_settings
from medverk.cases.followup import followup_topic
from medverk.cases.questions import has_word, list_kind
from medverk.clock import today
from medverk.knowledge import (
    OVERVIEW,
    Answer,
    Contact,
    KnowledgeError,
    conference_answer,
    contact_answer,
    participation_answer,
    participation_committee,
    participation_join_answer,
    participation_topic_for,
)
from medverk.texts.joining import asks_how_to_join

__all__ = [
    "MISS_INTENTS",
    "ActionAskConference",
    "ActionAskContactPerson",
    "ActionAskHowToGiveInput",
    "ActionAskParticipationBodies",
    "ActionAskYouthCouncil",
    "ActionDefaultFallback",
    "ActionHandleFallback",
    "ActionHelp",
    "ActionSwitchMalform",
    "consecutive_misses",
]

log = logging.getLogger(__name__)

MISS_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
MISSES_BEFORE_HUMAN = 2
YOUTH_COUNCIL = "youth_council"
PARTICIPATION_SLOT = "participation_in_focus"
# The actions that tell about a participation body (and put it in focus).
_TELLS_PARTICIPATION = frozenset({"action_ask_youth_council", "action_ask_participation_bodies"})


def _send(dispatcher: CollectingDispatcher, answer: Answer) -> None:
    dispatcher.utter_message(**answer.as_message())


def _contact(tracker: Tracker, contact: Contact) -> Answer:
    return contact_answer(get_settings().knowledge_dir, contact, malform_of(tracker))


def body_just_told(tracker: Tracker) -> str | None:
    """The participation body the assistant told about just before this message."""
    topic = slot_set_just_before(tracker, PARTICIPATION_SLOT, _TELLS_PARTICIPATION)
    return str(topic) if topic else None


def _asks_to_join(tracker: Tracker) -> bool:
    """ "korleis kjem eg med?", or the "Korleis bli med?" button (topic "bli med")."""
    return asks_how_to_join(user_text(tracker) or entity(tracker, "topic") or "")


async def _join_answers(tracker: Tracker, topic: str) -> list[Answer] | None:
    """How to join `topic`, then the human contact; None when the file says nothing."""
    malform = malform_of(tracker)
    join = participation_join_answer(get_settings().knowledge_dir, topic, malform)
    if join is None:
        return None
    return [join, _contact(tracker, (await get_effective()).contact)]


def _in_focus(topic: str) -> list[EventType]:
    """Put a participation body in focus, with the committee it is in the case data."""
    committee = participation_committee(get_settings().knowledge_dir, topic)
    return [SlotSet(PARTICIPATION_SLOT, topic), SlotSet(COMMITTEE_SLOT, committee)]


class _KnowledgeAnswer(MedverkAction):
    """An answer from the knowledge files: `answer()`, or `answers()` when it needs the store.

    A broken knowledge file is answered kindly by the frame (`MedverkAction.run`).
    """

    quiet_when_form_takes_message = True

    def answer(self, tracker: Tracker) -> list[Answer]:
        """The answers from the knowledge files."""
        return []

    async def answers(self, tracker: Tracker) -> list[Answer]:
        """The answers; override when they need the database (settings in force)."""
        return self.answer(tracker)

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        for answer in await self.answers(tracker):
            _send(dispatcher, answer)
        return []


class ActionAskYouthCouncil(_KnowledgeAnswer):
    """What the youth council is and does (kommunelova § 5-12)."""

    yields_to_case_questions = True

    def name(self) -> str:
        return "action_ask_youth_council"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        text = user_text(tracker)
        if (
            list_kind(text) == "decided"
            or has_word(text, ("sak",))
            or followup_topic(text) == "meeting"
        ):
            # "ka har ungdomsrådet bestemt?", "saker i ungdomsrådet", "når er neste møte i
            # ungdomsrådet?": its cases and meetings, from the data.
            from actions.case_list import ActionUpcomingCases

            return await ActionUpcomingCases().act(dispatcher, tracker)
        if _asks_to_join(tracker) and (joining := await _join_answers(tracker, YOUTH_COUNCIL)):
            # "korleis blir eg med i ungdomsrådet?", the "Korleis bli med?" button.
            for answer in joining:
                _send(dispatcher, answer)
            return _in_focus(YOUTH_COUNCIL)
        return [*await super().act(dispatcher, tracker), *_in_focus(YOUTH_COUNCIL)]

    def answer(self, tracker: Tracker) -> list[Answer]:
        directory = get_settings().knowledge_dir
        return [participation_answer(directory, YOUTH_COUNCIL, malform_of(tracker))]


class ActionAskParticipationBodies(_KnowledgeAnswer):
    """The body the message names (bylab, høyring …), or an overview of all of them."""

    def name(self) -> str:
        return "action_ask_participation_bodies"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        directory = get_settings().knowledge_dir
        words = " ".join(
            part for part in (entity(tracker, "topic"), tracker.latest_message.get("text")) if part
        )
        topic = participation_topic_for(directory, words)
        if topic == OVERVIEW and (told := body_just_told(tracker)):
            topic = told  # "korleis blir eg med då?" right after the borgarpanel
        answers = await _join_answers(tracker, topic) if _asks_to_join(tracker) else None
        for answer in answers or [participation_answer(directory, topic, malform_of(tracker))]:
            _send(dispatcher, answer)
        return _in_focus(topic)


async def answer_join_instead(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """ "korleis kjem eg med?" right after a participation body was told: how to join it."""
    told = body_just_told(tracker)
    if told is None or not asks_how_to_join(user_text(tracker)):
        return False
    answers = await _join_answers(tracker, told)
    for answer in answers or []:
        _send(dispatcher, answer)
    return answers is not None


class ActionHelp(MedverkAction):
    """What the assistant can do, unless "korleis kjem eg med?" follows a body just told."""

    def name(self) -> str:
        return "action_help"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if await answer_join_instead(dispatcher, tracker):
            return []
        dispatcher.utter_message(response="utter_help")
        return []


class ActionAskHowToGiveInput(_KnowledgeAnswer):
    """How to give input here, and where it goes."""

    def name(self) -> str:
        return "action_ask_how_to_give_input"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        from actions.case_details import names_one_case

        if await answer_join_instead(dispatcher, tracker):
            return []

        if await names_one_case(dispatcher, tracker):
            # "kan eg gje innspel på tilskot til lag?": the form takes it from that case
            # (and says so kindly when the case no longer takes input).
            return [FollowupAction("input_form")]
        if followup_topic(user_text(tracker)) == "deadline" and await names_one_case(
            dispatcher, tracker, or_a_few=True, any_length=True
        ):
            # "kan eg framleis seie meininga mi om budsjettet?" with several budget cases:
            # the deadline of the one that had a hearing, or which case is meant.
            from actions.case_details import ActionCaseDetails

            return await ActionCaseDetails().act(dispatcher, tracker)
        return await super().act(dispatcher, tracker)

    def answer(self, tracker: Tracker) -> list[Answer]:
        directory = get_settings().knowledge_dir
        return [participation_answer(directory, "how_to_give_input", malform_of(tracker))]


class ActionAskConference(_KnowledgeAnswer):
    """Lokaldemokratikonferansen 2024, in the past tense once it is over."""

    def name(self) -> str:
        return "action_ask_conference"

    def answer(self, tracker: Tracker) -> list[Answer]:
        directory = get_settings().knowledge_dir
        text = str(tracker.latest_message.get("text") or "")
        return [conference_answer(directory, text, malform_of(tracker), today())]


class ActionAskContactPerson(_KnowledgeAnswer):
    """The municipality's human contact."""

    def name(self) -> str:
        return "action_ask_contact_person"

    async def answers(self, tracker: Tracker) -> list[Answer]:
        return [_contact(tracker, (await get_effective()).contact)]

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        from actions.case_details import the_case_named

        events = await super().act(dispatcher, tracker)
        # "hvem kan jeg ringe om skolesaken?": that case is in focus for "når blir det bestemt?".
        named = await the_case_named(dispatcher, tracker)
        return [*events, SlotSet(FOCUS_SLOT, named)] if named else events


class ActionSwitchMalform(MedverkAction):
    """Switch målform: the named one is set by the entity; otherwise take the other one."""

    def name(self) -> str:
        return "action_switch_malform"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        named = entity(tracker, "malform")
        if named in ("nn", "nb"):
            # The slot mapping already took it from the entity; remember the choice.
            return [SlotSet(CHOSEN_SLOT, named)]
        other = "nb" if malform_of(tracker) == "nn" else "nn"
        return [SlotSet("malform", other), SlotSet(CHOSEN_SLOT, other)]


def consecutive_misses(events: list[dict[str, Any]]) -> int:
    """How many of the latest user messages in a row were not understood or off-topic."""
    misses = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent") or {}
        if intent.get("name") not in MISS_INTENTS:
            break
        misses += 1
    return misses


class ActionHandleFallback(MedverkAction):
    """Say what the assistant can do; from the second miss in a row, offer a human."""

    yields_to_case_questions = True

    def name(self) -> str:
        return "action_handle_fallback"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        from actions.case_details import ActionCaseDetails, names_one_case

        if await names_one_case(dispatcher, tracker, or_what_happens=True, or_a_few=True):
            # "gratis buss?" not understood as a question, but it names one case: tell it.
            return await ActionCaseDetails().act(dispatcher, tracker)
        misses = consecutive_misses(list(tracker.events))
        intent = intent_of(tracker)
        if misses >= MISSES_BEFORE_HUMAN:
            dispatcher.utter_message(response="utter_fallback_offer_human")
            try:
                _send(dispatcher, _contact(tracker, (await get_effective()).contact))
            except KnowledgeError:
                log.exception("contact.yml problem")
                dispatcher.utter_message(response="utter_knowledge_unavailable")
            dispatcher.utter_message(response="utter_fallback_buttons")
        elif intent == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
        else:
            dispatcher.utter_message(response="utter_fallback_first")
        return []


class ActionDefaultFallback(ActionHandleFallback):
    """When the dialogue policy is unsure what to do next (Rasa's core fallback): the
    same as a message NLU did not understand, so a case, the date or a follow-up is
    still answered instead of a bare "not understood"."""

    def name(self) -> str:
        return "action_default_fallback"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        # The policy must not predict this fallback again for the same message (a forged
        # "/inform_age" once left the person with no answer at all): like Rasa's own default
        # fallback the message is taken back, unless the answer set a slot (a case in focus),
        # which a revert would undo; then the assistant simply listens.
        events = await super().act(dispatcher, tracker)
        if events:
            return [*events, FollowupAction("action_listen")]
        return [UserUtteranceReverted()]
