from __future__ import annotations

import pytest

from storyline.clean import clean_text
from storyline.clean.glued import glue_points


@pytest.mark.parametrize(
    ("text", "second"),
    [
        ("The treaty was signed in 1961.During the decade that followed, trade grew.", "During the decade"),
        ('the talks were "useful."After that the ministers left.', "After that"),
        ("They lost 31-20.“We will be back,” the coach said.", "“We will be back"),
        ("Trade and Shipping RelationsOn March 3, the two ports reopened.", "On March 3"),
        ("A Short History of the HarbourThe harbour was dug in 1850.", "The harbour was dug"),
        ("— Port Office (@portoffice) May 2, 2019We visited the docks.", "We visited"),
        ("Five Candidates to WatchA crowded field will gather tonight.", "A crowded field"),
        ("He has health concerns and mobility issues.Am I right to feel hurt?", "Am I right"),
    ],
)
def test_glued_blocks_are_split(text: str, second: str) -> None:
    points = glue_points(text)
    assert text.index(second) in points


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. and the U.K. agreed, e.g. on tariffs.",
        "She bought an iPhone at McDonald's near the MacBook store.",
        "Follow us on LinkedIn Quora YouTube and PlayStation forums.",
        "Growth was 3.5 percent, see example.com/Report for details.",
        "Visit https://example.com/News.Today for more.",
        "The GarageBand and FaceTime apps were updated.",
    ],
)
def test_names_abbreviations_and_numbers_are_not_split(text: str) -> None:
    assert glue_points(text) == []


def test_clean_text_starts_glued_sentence_on_its_own_line() -> None:
    raw = (
        "Harbour news\n\n"
        "The old harbour was closed to ships in 1961.During the decade that followed, the town turned to "
        "fishing and tourism, and the quays were rebuilt.Trade RelationsOn March 3, the port reopened to "
        "cargo ships after years of repairs, officials said.\n"
    )
    c = clean_text(raw)
    for start in ("During the decade", "On March 3"):
        i = c.text.index(start)
        assert c.text[i - 1] == "\n"
    assert "1961.During" not in c.text and "RelationsOn" not in c.text
