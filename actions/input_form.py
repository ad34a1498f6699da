"""The input form (`input_form`): which case, the text, age group, contact, confirmation.

`validate_input_form` checks each answer and says kindly what is wrong;
`action_ask_input_case` offers open cases as buttons and
`action_ask_input_confirm` shows the summary before anything is stored.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.ext.asyncio import AsyncSession

from actions.base import (
    MedverkAction,
    in_store,
    intent_of,
    malform_of,
    mentioned_case_ref,
    user_text,
)
from actions.case_frame import just_listed
from actions.form_turn import form_already_answered
from actions.input_case_step import (
    added_opinion,
    ask_back_instead,
    case_found_slots,
    explain_no_case,
    opinion_given_for_case,
)
from medverk.cases.caseref import parse_case_ref
from medverk.cases.list_reference import pick_from_list
from medverk.cases.replies import give_input_button
from medverk.clock import today
from medverk.inputs import (
    MAX_INPUT_CHARS,
    check_input_text,
    may_give_contact,
    parse_age_group,
    parse_contact,
)
from medverk.inputs.age import AGE_SKIPPED
from medverk.inputs.case_choice import CaseChoice, choose_case, open_cases
from medverk.inputs.draft import new_idempotency_key
from medverk.inputs.form_words import (
    attempted_contact,
    case_change,
    case_words,
    changes_mind,
    confirm_answer,
    opinion_at_text_step,
    skips_text,
)
from medverk.inputs.opinion import looks_like_opinion
from medverk.inputs.personal_data import find_personal_data, without_personal_data
from medverk.names import Malform
from medverk.store import case_texts_repo
from medverk.store.models import AgendaItem

__all__ = [
    "ActionAskInputCase",
    "ActionAskInputConfirm",
    "ValidateInputForm",
    "case_buttons",
]


def case_buttons(items: list[AgendaItem]) -> list[dict[str, str]]:
    """One button per case; the payload carries the case number as entity."""
    return [give_input_button(item) for item in items]


# Said when the opinion written with a closed case's name cannot go to that case.
CLOSED_CASE_OPINION = "utter_input_case_closed_opinion"


class ValidateInputForm(FormValidationAction):
    """Checks the answers of `input_form` and decides which questions to ask."""

    def name(self) -> str:
        return "validate_input_form"

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """The slots' validations; an opinion about a case that takes no input is then
        let go (it was for that case, so it must not be filed on the next one chosen)."""
        events = await super().get_validation_events(dispatcher, tracker, domain)
        if any(message.get("response") == CLOSED_CASE_OPINION for message in dispatcher.messages):
            events = [e for e in events if e.get("name") != "input_text"]
            events.append(SlotSet("input_text", None))
        return events

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = list(domain_slots)
        age_group = tracker.get_slot("input_age_group")
        if not may_give_contact(age_group):
            return [s for s in slots if s not in ("input_contact_consent", "input_contact")]
        if tracker.get_slot("input_contact_consent") is False:
            return [s for s in slots if s != "input_contact"]
        return slots

    # --- pre-filling when the form starts ---------------------------------
    async def extract_input_case(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """At the start, take the case from the message or from the conversation."""
        if tracker.get_slot("requested_slot") is not None or tracker.get_slot("input_case"):
            return {}
        ref = mentioned_case_ref(tracker)
        if ref:
            return {"input_case": ref}
        # A topic named in this message ("klage på bussen") beats the case talked about before.
        topic = next(tracker.get_latest_entity_values("topic"), None)
        if topic:
            return {"input_case": topic}
        # "eg vil gi innspel på nordvik skule" without a topic entity: the words name the case.
        words = case_words(user_text(tracker))
        if words:
            return {"input_case": " ".join(words)}
        context = tracker.get_slot("case_in_focus")
        if context:
            return {"input_case": str(context)}
        return {}

    async def extract_input_text(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The answer to "what do you think?", or an opinion written straight away."""
        intent = intent_of(tracker)
        text = (tracker.latest_message or {}).get("text") or ""
        requested = tracker.get_slot("requested_slot")
        if requested is None:
            # The form is starting: "vi treng nattbuss i helgane" is already the input.
            if tracker.get_slot("input_text") or text.startswith("/"):
                return {}
            if intent == "give_input" and looks_like_opinion(text):
                return {"input_text": text}
            return {}
        if requested != "input_text" or text.startswith("/"):
            return {}
        if (other_case := case_change(text)) is not None:
            return {"input_case": other_case}  # "nei, eg meinte den om X": validated as a case
        if skips_text(text):
            return {"input_text": text}  # the validation says the opinion cannot be skipped
        if not opinion_at_text_step(intent, text):
            return {}
        return {"input_text": text}

    async def extract_input_confirm(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A typed "send", "ja send det" or "ok" at the confirmation sends."""
        if tracker.get_slot("requested_slot") != "input_confirm":
            return {}
        answer = confirm_answer((tracker.latest_message or {}).get("text") or "")
        return {"input_confirm": answer} if answer else {}

    async def extract_input_contact(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """An address, whatever intent NLU saw in it; at the consent question it is also a yes."""
        requested = tracker.get_slot("requested_slot")
        if requested not in ("input_contact_consent", "input_contact"):
            return {}
        text = (tracker.latest_message or {}).get("text") or ""
        contact = parse_contact(text)
        if contact is None:
            if requested == "input_contact" and attempted_contact(text):
                return {"input_contact": text}  # "ola@gmail": validated, explained, asked again
            return {}
        if requested == "input_contact_consent":
            return {"input_contact_consent": True, "input_contact": contact}
        return {"input_contact": contact}

    # --- validation ---------------------------------------------------------
    async def validate_input_case(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Resolve the case; offer open cases when it is unknown, closed or unclear."""
        text = str(slot_value or "").strip()
        text = pick_from_list(text, tracker.get_slot("input_case_options")) or text
        latest = (tracker.latest_message or {}).get("text") or ""
        from_this_message = text == latest.strip()
        entity_ref = next(tracker.get_latest_entity_values("case_ref"), None)
        topic = next(tracker.get_latest_entity_values("topic"), None)
        if from_this_message and (asked := await ask_back_instead(dispatcher, text)) is not None:
            return asked
        reader: Malform = "nb" if malform_of(tracker) == "nb" else "nn"
        focus = tracker.get_slot("case_in_focus")
        at_start = tracker.get_slot("requested_slot") is None

        async def work(session: AsyncSession) -> tuple[CaseChoice, str | None]:
            choice = await choose_case(
                session,
                text,
                today(),
                case_ref=entity_ref if from_this_message else parse_case_ref(text),
                topic=topic if from_this_message else None,
                # "skole" of "nordvik skole" as the topic: the words may name one case.
                whole_message=None if from_this_message else " ".join(case_words(latest)),
            )
            if choice.outcome == "no_match" and focus and at_start:
                # "Jeg vil gjerne gi et innspill" right after reading a case: its words
                # ("gjerne") name no case, so it is about the case just shown.
                choice = await choose_case(session, str(focus), today(), case_ref=str(focus))
            if choice.item is None:
                return choice, None
            shown = await case_texts_repo.case_texts(session, [choice.item], reader)
            return choice, shown[choice.item.id].title

        found = await in_store(dispatcher, work, what="validate_input_case")
        if found is None:  # the store failed: the citizen was told
            return {"input_case": None}
        choice, shown_title = found
        if choice.outcome == "found" and choice.item is not None:
            return case_found_slots(dispatcher, tracker, choice.item, shown_title, text)
        kept = opinion_given_for_case(tracker, text, from_this_message)
        if kept:
            dispatcher.utter_message(response="utter_input_text_kept")
        explain_no_case(dispatcher, choice, malform_of(tracker))
        if choice.outcome == "closed" and at_start and tracker.get_slot("input_text"):
            # "dumt, vi burde få ha mobil" about a decided case: that opinion was for it,
            # so it does not follow to another case; a human can still take it.
            dispatcher.utter_message(response=CLOSED_CASE_OPINION)
        return {
            "input_case": None,
            "input_case_title": None,
            "input_case_title_shown": None,
            "input_committee": None,
            "input_case_options": [item.case_ref for item in choice.candidates] or None,
            **kept,
        }

    async def validate_input_text(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Accept words up to the limit; empty, emoji-only, too short or too long is explained."""
        if slot_value is not None and skips_text(str(slot_value)):
            dispatcher.utter_message(response="utter_input_text_needed")
            return {"input_text": None}
        check = check_input_text(None if slot_value is None else str(slot_value))
        if check.ok:
            # The draft's key is fixed with its text, a turn before "ja": a "ja" turn that the
            # gateway rewinds (action server lost mid-submit) and the person sends again
            # reuses it, so the input is stored once.
            key = tracker.get_slot("input_idempotency_key") or new_idempotency_key()
            return {"input_text": check.text, "input_idempotency_key": key}
        dispatcher.utter_message(
            response=f"utter_input_text_{check.problem}",
            length=check.length,
            limit=MAX_INPUT_CHARS,
        )
        return {"input_text": None}

    async def validate_input_age_group(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """An age group, or `skipped`; under 13 means no contact questions."""
        group = parse_age_group(None if slot_value is None else str(slot_value))
        if group is None and changes_mind(str(slot_value or "")):
            # "hmm, jeg har ombestemt meg" at the age question: ask whether to cancel.
            dispatcher.utter_message(response="utter_input_confirm_cancel")
            return {"input_age_group": None}
        if group is None and (added := added_opinion(dispatcher, tracker, slot_value)):
            return {"input_age_group": None, **added}
        if group is None:
            dispatcher.utter_message(response="utter_input_age_unclear")
            return {"input_age_group": None}
        if not may_give_contact(group):
            dispatcher.utter_message(response="utter_input_contact_under_13")
            return {"input_age_group": group, "input_contact_consent": False, "input_contact": None}
        return {"input_age_group": group}

    async def validate_input_contact_consent(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Only an explicit yes is consent."""
        consent = slot_value is True or str(slot_value).lower() == "true"
        if not consent:
            return {"input_contact_consent": False, "input_contact": None}
        return {"input_contact_consent": True}

    async def validate_input_contact(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """An e-mail or phone number; "nei" withdraws the consent."""
        if slot_value in (None, "none"):
            return {"input_contact": None, "input_contact_consent": False}
        contact = parse_contact(str(slot_value))
        if contact is None:
            dispatcher.utter_message(response="utter_input_contact_invalid")
            return {"input_contact": None}
        return {"input_contact": contact}

    async def validate_input_confirm(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Yes fixes the idempotency key before storing; edit asks for the text again."""
        if slot_value in ("yes", "without"):
            key = tracker.get_slot("input_idempotency_key") or new_idempotency_key()
            sent = {"input_confirm": "yes", "input_idempotency_key": key}
            if slot_value == "without":
                sent["input_text"] = without_personal_data(tracker.get_slot("input_text") or "")
            return sent
        if slot_value == "edit":
            return {"input_confirm": None, "input_text": None, "input_idempotency_key": None}
        if slot_value == "no":
            return {"input_confirm": "no"}
        return {"input_confirm": None}


class ActionAskInputCase(MedverkAction):
    """Asks which case, with the open cases as buttons."""

    # Without the store it asks without buttons rather than not at all.
    store_failure_response = None

    def name(self) -> str:
        return "action_ask_input_case"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if form_already_answered(tracker):
            # The validation just explained the problem and offered cases.
            return []
        # "eg vil seie noko om det" right after a list: its open cases come first.
        shown = just_listed(tracker)
        items = (
            await self.in_store(
                dispatcher, lambda session: open_cases(session, today(), prefer=shown)
            )
            or []
        )
        if items:
            dispatcher.utter_message(response="utter_ask_input_case", buttons=case_buttons(items))
            return [SlotSet("input_case_options", [item.case_ref for item in items])]
        dispatcher.utter_message(response="utter_ask_input_case_no_open")
        return []


class ActionAskInputConfirm(MedverkAction):
    """Shows what will be stored and asks before storing it."""

    def name(self) -> str:
        return "action_ask_input_confirm"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        dispatcher.utter_message(response="utter_input_summary")
        age_group = tracker.get_slot("input_age_group")
        if age_group and age_group != AGE_SKIPPED:
            dispatcher.utter_message(response="utter_input_summary_age")
        if find_personal_data(tracker.get_slot("input_text") or ""):
            # The text outlives anonymisation: offer to send it without the personal data.
            dispatcher.utter_message(response="utter_input_personal_data")
        else:
            dispatcher.utter_message(response="utter_ask_input_confirm")
        return []
