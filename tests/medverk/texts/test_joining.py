import pytest

from medverk.texts.joining import asks_how_to_join, points_back_at_them


@pytest.mark.parametrize(
    "text",
    [
        "korleis kjem eg med",
        "hvordan blir jeg med?",
        "kan æ bli med?",
        "korleis blir ein medlem",
        "kan jeg melde meg på",
        "how do i join",
        "koss får eg vere med i rådet",
        "korleis kan eg søkje",
    ],
)
def test_asks_how_to_join(text: str) -> None:
    assert asks_how_to_join(text)


@pytest.mark.parametrize(
    "text",
    [
        "kva skal dei snakke om i dag",
        "hva er ungdomsrådet",
        "kan eg seie meininga mi om bussen",
        "kva gjer medlemene",
        "hjelp meg med noko",
    ],
)
def test_other_questions_do_not_ask_to_join(text: str) -> None:
    assert not asks_how_to_join(text)


@pytest.mark.parametrize("text", ["kva skal dei snakke om", "hva tar de opp?", "ka gjør dæm"])
def test_points_back_at_them(text: str) -> None:
    assert points_back_at_them(text)


@pytest.mark.parametrize("text", ["kva skal opp i kommunestyret", "hva skjer snart?"])
def test_a_question_of_its_own_does_not_point_back(text: str) -> None:
    assert not points_back_at_them(text)
