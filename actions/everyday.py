"""Greeting and goodbye as actions, and the questions other intents may hide.

`answer_instead(dispatcher, tracker)` answers a message that NLU took for a
greeting, goodbye, "not understood" or similar but that is a follow-up about
the case in focus, a place in the list just shown, "kva dato er det i dag?" or
"når får eg svar?".
Actions with `yields_to_case_questions = True` call it before their own reply.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import MedverkAction, malform_of, user_text
from medverk import clock
from medverk.cases.followup import asks_today, asks_what_happens
from medverk.inputs.answer_time import asks_answer_time
from medverk.texts import format_date
from medverk.texts.goodbye import says_goodbye
from medverk.texts.greeting import without_greeting

__all__ = ["ActionGoodbye", "ActionGreet", "answer_instead"]


async def answer_instead(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """The events of the real answer, or None when the message is what NLU said."""
    from actions.case_details import ActionCaseDetails, refers_to_shown_case
    from actions.form_turn import form_takes_message
    from actions.privacy import ActionAskInputStatus

    text = user_text(tracker)
    if form_takes_message(tracker):
        return None
    if asks_today(text):
        today = clock.today()
        dispatcher.utter_message(
            response="utter_today_is", today=format_date(today, malform_of(tracker))
        )
        return []
    if refers_to_shown_case(tracker):
        return await ActionCaseDetails().act(dispatcher, tracker)
    if asks_answer_time(text):
        return await ActionAskInputStatus().act(dispatcher, tracker)
    return None


class ActionGreet(MedverkAction):
    """Hello, unless the message asks about the case or the date."""

    yields_to_case_questions = True

    def name(self) -> str:
        return "action_greet"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        from actions.case_details import ActionCaseDetails, names_one_case

        if await names_one_case(dispatcher, tracker, or_a_few=True):
            # "idrettshall" heard as hello: it names a case, so tell it.
            return await ActionCaseDetails().act(dispatcher, tracker)
        asked = without_greeting(user_text(tracker))
        if asked and asks_what_happens(asked):
            # "hei, hva skjer med bussen?": the question behind the hello is answered.
            return await ActionCaseDetails().act(dispatcher, tracker)
        dispatcher.utter_message(response="utter_greet")
        return []


class ActionGoodbye(MedverkAction):
    """Goodbye, unless the message asks about the case or the date."""

    yields_to_case_questions = True

    def name(self) -> str:
        return "action_goodbye"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        text = user_text(tracker)
        if text and not says_goodbye(text):
            # "blir det nattbuss i helgene?" heard as goodbye: look for the case instead.
            from actions.case_details import ActionCaseDetails

            return await ActionCaseDetails().act(dispatcher, tracker)
        dispatcher.utter_message(response="utter_goodbye")
        return []
