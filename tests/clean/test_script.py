"""Scripts the English NLP does not read: told by the share of letters, and kept by cleaning."""

from __future__ import annotations

import pytest

from storyline.clean import clean_text
from storyline.clean.script import script_shares, unread_script, unspaced_letters
from storyline.config import UNREAD_SCRIPT_SHARE

# Invented articles, a sentence or two each.
ZH = "港口管理局周三宣布，新的码头将于明年春天开放。\n局长在记者会上说，工程已经完成了一半。\n"
JA = "東京の港湾局は水曜日、新しい埠頭を来年の春に開くと発表した。\n局長は記者会見で、工事は半分終わったと述べた。\n"
KO = "항만청은 수요일 새 부두를 내년 봄에 연다고 발표했다.\n청장은 기자회견에서 공사가 절반쯤 끝났다고 말했다.\n"
TH = "การท่าเรือประกาศเมื่อวันพุธว่าท่าเรือใหม่จะเปิดในฤดูใบไม้ผลิปีหน้า\n"
EN = (
    "The harbour authority said on Wednesday that the new pier would open next spring. "
    "Its director, Wang Lei (王磊), told reporters that half of the work was done."
)
ZH_WITH_LATIN = "港口管理局（PA）周三宣布，新的码头将于明年春天开放，GPS与LED系统已经安装。\n"
BILINGUAL = (
    "港口管理局周三宣布，新的码头将于明年春天开放。\n"
    "The harbour authority said on Wednesday that the new pier would open next spring.\n"
)
RU = "Управление порта в среду объявило, что новый причал откроется весной."


def _share(text: str) -> float:
    letters, unread = script_shares(text)
    return sum(unread.values()) / letters


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (ZH, "Han script (storyline's NLP reads English)"),
        (JA, "Han and kana scripts (storyline's NLP reads English)"),
        (KO, "Hangul script (storyline's NLP reads English)"),
        (TH, "Thai script (storyline's NLP reads English)"),
        (ZH_WITH_LATIN, "Han script (storyline's NLP reads English)"),
        (BILINGUAL, "Han script (storyline's NLP reads English)"),
        (EN, None),
        (RU, None),  # Cyrillic is spaced: read (and parsed) as before
        ("", None),
        ("12345 ... ---", None),
    ],
)
def test_unread_script_names_the_script_of_most_letters(text: str, reason: str | None) -> None:
    assert unread_script(text) == reason


def test_threshold_sits_between_the_invented_cases() -> None:
    """The figures config.py gives for UNREAD_SCRIPT_SHARE."""
    assert _share(EN) < 0.03 < UNREAD_SCRIPT_SHARE < _share(BILINGUAL) < 0.3
    assert _share(ZH_WITH_LATIN) > 0.75 and _share(KO) == _share(JA) == 1.0


def test_unspaced_letters_counts_han_kana_and_thai_not_hangul_or_latin() -> None:
    assert unspaced_letters("abc 港口 ひらがな カタカナー") == 2 + 4 + 5
    assert unspaced_letters(KO) == 0 and unspaced_letters(EN) == 2
    assert unspaced_letters("ท่าเรือ") == 5  # of its 7 characters: a tone mark and a vowel sign are not letters


@pytest.mark.parametrize("text", [ZH, JA, TH, KO])
def test_cleaning_keeps_prose_of_an_unspaced_script(text: str) -> None:
    assert clean_text(text).text == text.strip()


def test_cleaning_still_cuts_furniture_around_chinese_prose() -> None:
    raw = "首页 | 新闻 | 体育 | 财经\n" + ZH + "版权所有 © 2023 港口日报\n"
    cleaned = clean_text(raw)
    assert cleaned.text == ZH.strip()
    assert {r.reason for r in cleaned.removed} == {"navigation", "footer"}
