"""`action_case_details`: one case, by case number, topic words or the case talked about last.

What the question is about and which responses answer it come from
`medverk.cases.replies`; the case is found by `medverk.cases.search`.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.ext.asyncio import AsyncSession

from actions.base import entity, in_store, mentioned_case_ref, previous_action, user_text
from actions.case_frame import (
    FOCUS_SLOT,
    LISTED_SLOT,
    PAGE_SIZE,
    CaseAction,
    CaseTurn,
    just_listed,
    listed,
)
from medverk import clock
from medverk.cases.caseref import display_case_ref
from medverk.cases.followup import (
    asks_what_happens,
    followup_topic,
    is_followup,
    without_followup_words,
)
from medverk.cases.input_window import the_one_with_a_hearing
from medverk.cases.list_reference import pick_from_list, place_in_list
from medverk.cases.questions import echo, list_kind
from medverk.cases.replies import case_facts, detail_responses, details_button, meeting_to_tell
from medverk.cases.search import CaseSearch, find_cases
from medverk.cases.terms import query_terms
from medverk.store import cases_repo
from medverk.store.models import AgendaItem

__all__ = ["ActionCaseDetails", "names_one_case", "refers_to_shown_case", "the_case_named"]

# A message this short that matches a few cases names them ("klimaplanen", "budsjettet"):
# asking which one beats "not understood".
_SHORT_CASE_NAME_WORDS = 4


async def names_one_case(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    *,
    or_what_happens: bool = False,
    or_a_few: bool = False,
    any_length: bool = False,
) -> bool:
    """Whether the message's words find exactly one case, or ask what happens with
    something (for case questions NLU heard as something else); with `or_a_few`, a
    short message that matches a few cases about equally counts too (the answer then
    asks which one), and with `any_length` as well a longer one."""
    text = user_text(tracker)
    if not text:
        return False
    search = await in_store(
        dispatcher,
        lambda session: find_cases(session, text),
        what="names_one_case",
        failure_response=None,
    )
    if search is None:
        return False
    # "hva skjer med fotballbanen?" is a case question even when no case matches.
    one = search.single is not None or search.kind == "by_ref"
    short = any_length or len(text.split()) <= _SHORT_CASE_NAME_WORDS
    few = or_a_few and bool(search.items) and short
    return one or few or (or_what_happens and asks_what_happens(text))


async def the_case_named(dispatcher: CollectingDispatcher, tracker: Tracker) -> str | None:
    """The case number of the one case the message's words or number name, if exactly one."""
    text = user_text(tracker)
    if not text:
        return None
    search = await in_store(
        dispatcher,
        lambda session: find_cases(session, text, case_ref=mentioned_case_ref(tracker)),
        what="the_case_named",
        failure_response=None,
    )
    refs = {item.case_ref for item in search.items} if search is not None else set()
    return refs.pop() if len(refs) == 1 else None


def refers_to_shown_case(tracker: Tracker) -> bool:
    """A follow-up about the case in focus ("når er møtet?") or a place in the list just
    shown ("den andre"): answered as a case question whatever intent NLU saw."""
    text = user_text(tracker)
    if not text:
        return False
    if tracker.get_slot(FOCUS_SLOT) and is_followup(text):
        return True
    return pick_from_list(text, tracker.get_slot(LISTED_SLOT)) is not None


def _form_asks_for_case(tracker: Tracker) -> bool:
    return (
        tracker.active_loop.get("name") == "input_form"
        and tracker.get_slot("requested_slot") == "input_case"
    )


async def _search(
    session: AsyncSession, tracker: Tracker, text: str
) -> tuple[CaseSearch, str | None]:
    """The case the message means (its number, "den første" of the list, its words, or the
    last one talked about), and the topic the user named."""
    case_ref, topic = entity(tracker, "case_ref"), entity(tracker, "topic")
    search_text = text
    focus = tracker.get_slot(FOCUS_SLOT)
    if case_ref is None and (picked := pick_from_list(text, tracker.get_slot(LISTED_SLOT))):
        case_ref, topic, search_text = picked, None, ""  # "den første": not a topic search
    elif case_ref is None and focus and is_followup(text):
        # "når er fristen?" asks about the case in focus, unless the rest names another one.
        rest = without_followup_words(text)
        search = await find_cases(session, rest)
        other = search.single
        # Only a word of the other case's own title moves the focus ("fristen for klimaplanen").
        if other is not None and other.case_ref != focus and _names_title(rest, other):
            return search, None
        return await find_cases(session, "", case_ref=focus), None
    search = _within_list(
        await find_cases(session, search_text, case_ref=case_ref, topic=topic),
        just_listed(tracker),
    )
    if search.kind == "none" and not search.case_ref and not search.terms and focus:
        search = await find_cases(session, "", case_ref=focus)
    return search, topic


def _within_list(search: CaseSearch, shown: list[str]) -> CaseSearch:
    """Several cases match, and the list just shown holds some of them: "den med bussen"
    after a list with one bus case is that one."""
    if search.kind != "by_topic" or len(search.items) < 2 or not shown:
        return search
    in_list: dict[str, AgendaItem] = {}
    for item in search.items:
        if item.case_ref in shown:
            in_list.setdefault(item.case_ref, item)
    if not in_list:
        return search
    return dataclasses.replace(search, items=list(in_list.values()))


def _asks_without_naming(text: str, search: CaseSearch) -> bool:
    """No case found and none named: "ka betyr det for meg?", "hvem bestemmer det?"."""
    if search.kind != "none" or search.case_ref:
        return False
    return not search.terms or _follow_up_without_case(text, search)


def _follow_up_without_case(text: str, search: CaseSearch) -> bool:
    """A fact asked for ("kven avgjer det?") with no case number and no case words."""
    if search.case_ref or not is_followup(text):
        return False
    return not query_terms(without_followup_words(text))


def _names_title(text: str, item: AgendaItem) -> bool:
    title_terms = set(query_terms(item.title))
    return any(
        term in title_terms or any(term in t or t in term for t in title_terms if len(t) > 3)
        for term in query_terms(text)
        if len(term) > 3
    )


async def _place(session: AsyncSession, item: AgendaItem) -> str | None:
    """Where the case's meeting is (`moetested`), if the data says."""
    if not item.meeting_id:
        return None
    return await cases_repo.meeting_place(session, item.meeting_id)


def _asked_words(text: str, terms: list[str]) -> str:
    """The user's own words behind the search terms ("fotballbanen i Nordvik"), from the
    first to the last one that gave a term, so the answer repeats what they wrote."""
    words = re.findall(r"[\w-]+", text)
    hits = [i for i, word in enumerate(words) if set(query_terms(word)) & set(terms)]
    return " ".join(words[hits[0] : hits[-1] + 1]) if hits else " ".join(terms)


def _no_match(turn: CaseTurn, search: CaseSearch, topic: str | None) -> None:
    if search.case_ref:
        closest = "utter_case_unknown_ref_closest" if search.closest else "utter_case_unknown_ref"
        turn.utter(
            closest,
            case_ref=display_case_ref(search.case_ref),
            buttons=[details_button(item) for item in search.closest],
        )
    elif search.terms:
        asked = topic or _asked_words(user_text(turn.tracker), search.terms)
        turn.utter("utter_case_no_match", topic=echo(asked))
    else:
        turn.utter("utter_case_ask_which")


async def _buttons(turn: CaseTurn, items: list[AgendaItem]) -> list[dict[str, str]]:
    """A details button per case, titled in the reader's målform."""
    texts = await turn.texts(items)
    return [details_button(item, texts[item.id].title) for item in items]


async def _listed_items(turn: CaseTurn, today: date) -> list[AgendaItem]:
    """One agenda item for each case of the list just shown, in its order."""
    shown: list[AgendaItem] = []
    for case_ref in just_listed(turn.tracker):
        items = await cases_repo.find_by_ref(turn.session, str(case_ref))
        if items:
            shown.append(meeting_to_tell(items, today))
    return shown


async def _offer_upcoming(turn: CaseTurn, today: date) -> None:
    page = await cases_repo.upcoming(turn.session, today, limit=PAGE_SIZE)
    if page.items:
        turn.utter("utter_case_offer_upcoming", buttons=await _buttons(turn, page.items))


async def _tell(turn: CaseTurn, items: list[AgendaItem], text: str, today: date) -> str:
    """One case's answer in the reader's målform (or the original, when asked); its number."""
    item = meeting_to_tell(items, today)
    place = await _place(turn.session, item)
    wants_original = entity(turn.tracker, "case_version") == "original"
    case_text = None if wants_original else (await turn.texts([item]))[item.id]
    facts = case_facts(item, turn.malform, today, place, case_text)
    if wants_original:
        turn.utter("utter_case_original_shown")
    for response in detail_responses(item, text, today, has_place=bool(place)):
        turn.utter(response, **facts)
    if case_text is not None:
        turn.utter_translation_note(item, case_text)
    return item.case_ref


class ActionCaseDetails(CaseAction):
    """One case: by case number, topic words or the case talked about last."""

    def name(self) -> str:
        return "action_case_details"

    async def answer(self, turn: CaseTurn) -> list[EventType]:
        today, text = clock.today(), user_text(turn.tracker)
        if place_in_list(text) is not None and _form_asks_for_case(turn.tracker):
            return []  # "den første" answers the form's question: the form takes it
        search, topic = await _search(turn.session, turn.tracker, text)
        events: list[EventType] = []
        if search.single is None and search.kind != "by_ref" and list_kind(text) == "decided":
            # "ka e vedteke nyleg?", "hva har formannskapet vedtatt?": the list of decisions.
            from actions.case_list import ActionUpcomingCases

            return await ActionUpcomingCases().answer(turn)
        if _asks_without_naming(text, search) and previous_action(turn.tracker) == (
            "action_ask_conference"
        ):
            # "når var den?" right after the conference answer: about the conference.
            from actions.knowledge import ActionAskConference

            return await ActionAskConference().act(turn.dispatcher, turn.tracker)
        if _asks_without_naming(text, search) and (shown := await _listed_items(turn, today)):
            # "hvem bestemmer det?" right after a list ("hva skjer med bussen?" → two):
            # which of those.
            turn.utter("utter_case_ask_which_listed", buttons=await _buttons(turn, shown))
            return [listed(shown)]
        if search.kind == "none" and _follow_up_without_case(text, search):
            # "hvem bestemmer det?" with no case talked about: which case, with choices.
            turn.utter("utter_case_ask_which")
            await _offer_upcoming(turn, today)
            return events
        heard = the_one_with_a_hearing(search.items) if len(search.items) > 1 else None
        if heard is not None and followup_topic(text) == "deadline":
            # "kan eg framleis seie noko om budsjettet?": the one budget case with a hearing.
            search = CaseSearch("by_topic", items=[heard], terms=search.terms)
        if search.kind == "none":
            _no_match(turn, search, topic)
            if not search.closest and (search.terms or search.case_ref):
                await _offer_upcoming(turn, today)
        elif search.single is not None or search.kind == "by_ref":
            events.append(SlotSet(FOCUS_SLOT, await _tell(turn, search.items, text, today)))
        else:
            turn.utter("utter_case_pick", buttons=await _buttons(turn, search.items))
            events.append(listed(search.items))
        turn.utter_stale()
        return events
