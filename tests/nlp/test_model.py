"""The loaded pipeline: our line-break component sits before the parser and starts sentences at line ends."""

from __future__ import annotations

import pytest
from spacy.language import Language

from storyline.nlp.model import LINE_BREAKS, add_line_breaks


def sentences(nlp: Language, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(text).sents if s.text.strip()]


def test_line_break_component_runs_before_the_parser(nlp: Language) -> None:
    names = nlp.pipe_names
    assert names.index(LINE_BREAKS) < names.index("parser")
    assert add_line_breaks(nlp).pipe_names.count(LINE_BREAKS) == 1  # adding it again changes nothing


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # a headline with no final stop, then the body on the next line
        (
            "Athens vigil ends in violence\nGreek rioters attacked a ministry building on Sunday.",
            "Athens vigil ends in violence",
        ),
        (
            "Police charged over boy's death\n\nA police officer was charged with homicide.",
            "Police charged over boy's death",
        ),
        # a dateline line above the story
        ("BRUSSELS, Belgium\nThe European Union condemned the strike on Tuesday.", "BRUSSELS, Belgium"),
        # a sub-headline ending in a lower-case word
        (
            "Riots erupt in the city\nViolence reignited following vigils for the teenager killed a week ago\n"
            "Rioters attacked shops and banks.",
            "Riots erupt in the city",
        ),
    ],
)
def test_a_line_that_ends_is_its_own_sentence(nlp: Language, text: str, first: str) -> None:
    got = sentences(nlp, text)
    assert got[0] == first
    assert len(got) >= 2


@pytest.mark.parametrize(
    "text",
    [
        "The minister said the talks,\nwhich began in May, would go on.",
        "The minister said that the talks would\ngo on until a deal is reached.",
    ],
)
def test_a_line_that_runs_on_stays_in_its_sentence(nlp: Language, text: str) -> None:
    assert len(sentences(nlp, text)) == 1


def test_hard_wrapped_text_is_not_cut_before_a_capitalised_word(nlp: Language) -> None:
    text = (
        "The prime minister told reporters on Monday that the\n"
        "negotiations with the delegation from Vladimir\n"
        "Putin's government had reached a point where\n"
        "neither side wanted to walk away from the table.\n"
        "Talks resume next week."
    )
    got = sentences(nlp, text)
    assert not any(s.startswith("Putin") for s in got)
    assert got[-1] == "Talks resume next week."
