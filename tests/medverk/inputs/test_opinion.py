import pytest

from medverk.inputs.opinion import adds_to_opinion, asks_to_give_input, looks_like_opinion


@pytest.mark.parametrize(
    "text",
    [
        "God dag. Jeg ønsker å komme med en innvending mot forslaget om å legge ned Nordvik skole.",
        "Eg vil klage på at bussen blir lagd ned",
        "Jeg har en merknad til reguleringsplanen for sentrum",
        "vil gjerne komme med noen synspunkter på idrettshallen",
    ],
)
def test_announcing_an_objection_is_not_the_opinion_itself(text: str) -> None:
    assert asks_to_give_input(text)
    assert not looks_like_opinion(text)


@pytest.mark.parametrize(
    "text",
    [
        "Det er helt feil å legge ned skolen, barna får altfor lang skolevei.",
        "bussen må gå oftare på kveldane, vi kjem oss ikkje heim frå trening",
    ],
)
def test_an_opinion_written_later_adds_to_the_input(text: str) -> None:
    assert adds_to_opinion(text)


@pytest.mark.parametrize(
    "text", ["over 25", "eg er 17", "vil ikkje seie", "kvifor treng de alderen min?"]
)
def test_answers_and_questions_at_the_age_step_do_not_add_to_the_input(text: str) -> None:
    assert not adds_to_opinion(text)
