"""Quotes: quotation marks paired in raw news text, speakers from the parse, indirect speech."""

from __future__ import annotations

import pytest
from spacy.language import Language

from storyline.model import Mention, Quote
from storyline.nlp.quotes import document_nouns, find_quote_spans, find_quotes, gender_cues, reporting_cues


def run(nlp: Language, text: str) -> tuple[list[Quote], list[Mention]]:
    """Quotes of ``text`` with mentions taken straight from the NER spans."""
    sdoc = nlp(text)
    mentions = [Mention(e.start_char, e.end_char, e.text, e.label_, e.text) for e in sdoc.ents]
    return find_quotes(sdoc, mentions), mentions


def name(mentions: list[Mention], index: int | None) -> str | None:
    return None if index is None else mentions[index].text


def quote_with(quotes: list[Quote], words: str, direct: bool = True) -> Quote:
    hits = [q for q in quotes if words in q.text and q.direct == direct]
    assert hits, f"no {'direct' if direct else 'indirect'} quote holding {words!r} in {[q.text for q in quotes]}"
    return hits[0]


# --------------------------------------------------------------------------- marks (no parse)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('"We will win," he said.', ["We will win"]),
        ("“We will win,” he said.", ["We will win"]),
        ("‘We will win,’ he said.", ["We will win"]),
        ("'We will win,' he said.", ["We will win"]),
        ("«Nous gagnerons», a-t-il dit.", ["Nous gagnerons"]),
        ('"A," she said. "B and C," he said.', ["A", "B and C"]),
        ('He said: "It is over.', ["It is over."]),  # closing mark missing: ends with the paragraph
        ('We are planning more," she said.', ["We are planning more"]),  # opening mark lost
        ("She said \"we'll see, the 'experts' say\" today.", ["we'll see, the 'experts' say"]),
    ],
)
def test_quote_marks_pair_in_every_style(text: str, quoted: list[str]) -> None:
    assert [text[s.start : s.end] for s in find_quote_spans(text)] == quoted


@pytest.mark.parametrize(
    "text",
    [
        "The countries' leaders met. Smith's team didn't say much; the players' union stayed silent.",
        "He moved there in the ’90s and rock ’n’ roll followed him.",
        'The gun was 12" long and the barrel 20" wide.',
    ],
)
def test_apostrophes_and_inch_marks_are_not_quotes(text: str) -> None:
    assert find_quote_spans(text) == []


def test_quote_running_over_paragraphs_reopened_by_a_mark_is_one_quote() -> None:
    text = 'Berg said: "We rebuilt the bridge.\n"Next year the school."\nThe council meets in May.'
    (span,) = find_quote_spans(text)
    assert text[span.start : span.end].startswith("We rebuilt") and text[span.start : span.end].endswith("school.")


def test_unclosed_quote_ends_at_its_paragraph_when_the_next_does_not_continue_it() -> None:
    text = 'Berg said: "We rebuilt the bridge.\nThe council meets in May.'
    (span,) = find_quote_spans(text)
    assert text[span.start : span.end] == "We rebuilt the bridge." and not span.closed


def test_quote_over_lines_runs_on_to_the_line_that_closes_it() -> None:
    text = '"We rebuilt the bridge.\nThe school is next.\nThen the roads," Berg said.\nThe council met.'
    (span,) = find_quote_spans(text)
    assert text[span.start : span.end].endswith("Then the roads")


# --------------------------------------------------------------------------- attribution


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        ('"We will not back down," Peter Holm said on Monday.', "not back down", "Peter Holm"),
        ("“We will not back down,” said Anna Berg, the mayor of the city.", "not back down", "Anna Berg"),
        ('Peter Holm said: "The talks were constructive and we expect progress."', "constructive", "Peter Holm"),
        ('Peter Holm said, "The talks were constructive and we expect progress."', "constructive", "Peter Holm"),
        ("According to Maria Lopez, “the budget is simply not there this year.”", "budget", "Maria Lopez"),
        ('Dmitry Ivanov told reporters, "The talks will resume next week."', "resume", "Dmitry Ivanov"),
        ("'We will win this league,' the coach, Tom Weller, said after the match.", "league", "Tom Weller"),
        (
            '"Cooperation between our ministries will grow every year," the Defense Ministry said in a statement.',
            "Cooperation",
            "the Defense Ministry",
        ),
        ('We are planning an expansion of the port," Peter Holm said at the meeting.', "expansion", "Peter Holm"),
        # inverted attribution the parser leaves without a subject
        (
            '"It took too long for the money to get into the system," said bank analyst Chris Weafer commenting '
            "on this decision.",
            "took too long",
            "Chris Weafer",
        ),
        # "who" wants a person, wherever the parser hangs the relative clause
        (
            'The view is shared by Charles Reilly, a management expert at Stanford University, who stated, "Great '
            'companies rarely go from strength to strength."',
            "Great companies",
            "Charles Reilly",
        ),
    ],
)
def test_speaker_from_the_attribution(nlp: Language, text: str, words: str, speaker: str) -> None:
    quotes, mentions = run(nlp, text)
    q = quote_with(quotes, words)
    assert name(mentions, q.speaker) == speaker
    assert q.cue is not None and text[q.cue_start : q.cue_end] == q.cue


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        # the parser hangs the name into the quote and leaves "said" without a subject
        (
            '"We are aware of the issue involving our receiver," team general manager Peter Holm said in a statement.',
            "aware of the issue",
            "Peter Holm",
        ),
        # a reporting verb the table lacked
        ('"Please stay out of our community," Anna Berg fumed on Twitter.', "stay out", "Anna Berg"),
        # a sentence of its own ending with a colon introduces the quote that opens the next line
        (
            "The team has had trouble before.\nGeneral Manager Peter Holm issued the following statement:\n"
            '"We are aware of the issue. Obviously, we are disappointed."',
            "aware of the issue",
            "Peter Holm",
        ),
        (
            "The food ran out on Tuesday.\nThe UN official Carl Brenner disagreed with the minister:\n"
            '"There is a humanitarian crisis already, so she has not managed to avoid one."',
            "humanitarian crisis",
            "Carl Brenner",
        ),
    ],
)
def test_speaker_in_patterns_the_parse_gets_wrong(nlp: Language, text: str, words: str, speaker: str) -> None:
    quotes, mentions = run(nlp, text)
    assert name(mentions, quote_with(quotes, words).speaker) == speaker


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        # a reporting verb in a subordinate clause of the next sentence is not the quote's
        (
            "“You only see the tip of the iceberg,” Ann Keller said. “It makes the prose dense.” When his "
            "editors would ask him to explain himself more, he refused.",
            "prose dense",
            "Ann Keller",
        ),
        # nor is one that brings a quote of its own
        (
            "“The thing bothered the family,” Ruth Palmer said. “I do not know whether they were estranged.” "
            "But at some point, the father told Ruth Palmer that “he only knows his son is alive from the checks.”",
            "estranged",
            "Ruth Palmer",
        ),
        # "as X put it"
        (
            "Critics liked the book. As Oscar Lind put it, “Had he written five books, he would have been famous.”",
            "five books",
            "Oscar Lind",
        ),
    ],
)
def test_speaker_of_a_quote_beside_other_sentences(nlp: Language, text: str, words: str, speaker: str) -> None:
    quotes, mentions = run(nlp, text)
    assert name(mentions, quote_with(quotes, words).speaker) == speaker


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        (
            "The school principal, Matthew Wall, wrote a heartfelt letter about the boy.\n"
            '"Kim made great strides this year," the letter read.',
            "great strides",
            "Matthew Wall",
        ),
        (
            "Big Machine Records issued a statement on Friday.\n"
            '"We were shocked to see her posts yesterday," the statement said.',
            "shocked",
            "Big Machine Records",
        ),
    ],
)
def test_a_written_text_speaks_for_its_author(nlp: Language, text: str, words: str, speaker: str) -> None:
    quotes, mentions = run(nlp, text)
    assert name(mentions, quote_with(quotes, words).speaker) == speaker


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        # a reporting verb hanging from a written text: its author
        (
            'Peter Holm resigned in a letter to the board of directors stating, "I always said I would be the '
            'first to let you know."',
            "always said",
            "Peter Holm",
        ),
        # "by saying": the subject of the verb the preposition hangs from
        (
            "Peter Holm gave a speech. He promoted the phone by saying that, \"one year after launching it, we "
            'are launching the new one."',
            "one year after",
            "Peter Holm",
        ),
    ],
)
def test_speaker_of_a_verb_without_its_own_subject(nlp: Language, text: str, words: str, speaker: str) -> None:
    quotes, mentions = run(nlp, text)
    assert name(mentions, quote_with(quotes, words).speaker) == speaker


def test_a_pronoun_answering_a_question_is_the_one_asked(nlp: Language) -> None:
    text = 'At one point, Peter Lynch asked Marcus Cole, "You just lied to this jury, correct?"\n"Yes," he responded.'
    quotes, mentions = run(nlp, text)
    assert name(mentions, quote_with(quotes, "lied").speaker) == "Peter Lynch"
    assert name(mentions, quote_with(quotes, "Yes").speaker) == "Marcus Cole"


def test_a_written_text_with_no_named_author_has_no_speaker(nlp: Language) -> None:
    text = 'The company denied it in a statement.\n"We were shocked by the claims," the statement read.'
    quotes, _ = run(nlp, text)
    q = quote_with(quotes, "shocked")
    assert q.speaker is None and q.cue == "read"


def test_name_before_a_subjectless_verb_counts_only_right_after_the_quote(nlp: Language) -> None:
    text = 'Jobs resigned in a letter to the board of Apple Inc. stating, "I always said I would tell you first."'
    quotes, mentions = run(nlp, text)
    assert name(mentions, quote_with(quotes, "always said").speaker) != "Apple Inc."


def test_passive_reporting_verb_in_the_next_sentence_does_not_take_the_quote(nlp: Language) -> None:
    text = (
        '"It will be an exciting time for us," said Hugo Brandt, the manager of the label. '
        '"We wish the company every success for many years to come." It was not disclosed whether the deal '
        "included the catalogue."
    )
    quotes, mentions = run(nlp, text)
    q = quote_with(quotes, "every success")
    assert (name(mentions, q.speaker), q.cue) == ("Hugo Brandt", "said")


def test_doubled_apostrophes_close_a_double_quote() -> None:
    text = "“It was an attempt to mislead voters,’’ Sam Orton told the BBC. “And it is wrong.”"
    spans = [text[q.start : q.end] for q in find_quote_spans(text)]
    assert spans == ["It was an attempt to mislead voters", "And it is wrong."]


def test_relayed_quote_names_speaker_and_outlet(nlp: Language) -> None:
    quotes, mentions = run(nlp, 'Reuters quoted Dmitry Ivanov as saying, "We are ready to talk with anyone."')
    q = quote_with(quotes, "ready to talk")
    assert (name(mentions, q.speaker), name(mentions, q.via)) == ("Dmitry Ivanov", "Reuters")


def test_quote_that_names_its_own_speaker_is_relayed_by_the_reporting_outlet(nlp: Language) -> None:
    text = '"Peter Holm said that the army is ready to defend the border at any cost," Reuters reported.'
    quotes, mentions = run(nlp, text)
    q = quote_with(quotes, "army is ready")
    assert (name(mentions, q.speaker), name(mentions, q.via)) == ("Peter Holm", "Reuters")


def test_according_to_an_outlet_beside_a_speaking_verb_is_the_relay(nlp: Language) -> None:
    text = '"We are planning an expansion of the port," Peter Holm said at the meeting, according to Reuters.'
    quotes, mentions = run(nlp, text)
    q = quote_with(quotes, "expansion")
    assert (name(mentions, q.speaker), name(mentions, q.via)) == ("Peter Holm", "Reuters")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            'Mr. Tom Weller introduced Mrs. Anna Berg at the meeting. "We will rebuild the bridge," she said.',
            "Anna Berg",
        ),
        (
            'Mr. Tom Weller introduced Mrs. Anna Berg at the meeting. "We will rebuild the bridge," he said.',
            "Tom Weller",
        ),
        # no gender told: the subject before the nearer name
        (
            'Peter Holm, the mayor, met the minister, Anna Berg, on Monday. "We will rebuild the bridge," he said.',
            "Peter Holm",
        ),
        # no title: the given name tells ("she" skips the man named last)
        (
            'Anna Berg arrived on Monday. Robert Ford welcomed her at the airport. '
            '"We will rebuild the bridge," she recalled.',
            "Anna Berg",
        ),
        (
            'Robert Ford arrived on Monday. Anna Berg welcomed him at the airport. '
            '"We will rebuild the bridge," he recalled.',
            "Robert Ford",
        ),
        # a given name the table does not know keeps the person compatible
        (
            'Zyxw Holm arrived on Monday. Qrst Berg welcomed the delegation. '
            '"We will rebuild the bridge," she recalled.',
            "Qrst Berg",
        ),
        # a name inside a quote is not an antecedent
        (
            'Peter Holm wrote on his blog, "The visit of John Baker is over." He added, "We will rebuild the bridge."',
            "Peter Holm",
        ),
    ],
)
def test_pronoun_speaker_goes_to_the_last_compatible_person(nlp: Language, text: str, speaker: str) -> None:
    quotes, mentions = run(nlp, text)
    assert name(mentions, quote_with(quotes, "rebuild the bridge").speaker) == speaker


def test_it_said_goes_to_the_organisation_just_named(nlp: Language) -> None:
    text = 'The Foreign Ministry criticized the sanctions. "These measures are illegal and will backfire," it said.'
    quotes, mentions = run(nlp, text)
    assert name(mentions, quote_with(quotes, "illegal").speaker) == "The Foreign Ministry"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            'In his resignation letter, Steve Jobs left this farewell, "I have made the best friends of my life."',
            "Steve Jobs",
        ),
        (
            'The Foreign Ministry issued a statement on Monday: "The sanctions are illegal and will be answered."',
            "The Foreign Ministry",
        ),
        (
            'District Attorney David Soares: "The issues in play in the courtroom will bear themselves out."',
            "David Soares",
        ),
    ],
)
def test_quote_introduced_by_a_clause_belongs_to_its_named_subject(nlp: Language, text: str, speaker: str) -> None:
    quotes, mentions = run(nlp, text)
    (q,) = quotes
    assert name(mentions, q.speaker) == speaker


def test_quote_introduced_by_a_clause_without_a_named_subject_has_no_speaker(nlp: Language) -> None:
    quotes, _ = run(nlp, 'The reporters asked about the rumour, "Is it true that the mayor will resign soon?"')
    assert quote_with(quotes, "Is it true").speaker is None


def test_quote_without_cue_continues_the_previous_speaker(nlp: Language) -> None:
    text = '"The bridge is finished," Peter Holm said on Tuesday.\n"The school is next on our long list."'
    quotes, mentions = run(nlp, text)
    assert name(mentions, quote_with(quotes, "school is next").speaker) == "Peter Holm"


def test_multi_paragraph_quote_keeps_its_speaker(nlp: Language) -> None:
    text = (
        'Anna Berg, the mayor, said: "We have rebuilt the bridge and the school.\n'
        '"Next year we will start on the hospital and the roads."\nThe council meets in May.'
    )
    quotes, mentions = run(nlp, text)
    q = quote_with(quotes, "rebuilt the bridge")
    assert "hospital" in q.text and "council" not in q.text
    assert name(mentions, q.speaker) == "Anna Berg"


def test_missing_closing_mark_ends_the_quote_with_its_paragraph(nlp: Language) -> None:
    text = 'Anna Berg said: "We will rebuild the bridge and the school by spring.\nThe council meets again in May.'
    quotes, mentions = run(nlp, text)
    q = quote_with(quotes, "rebuild")
    assert "council" not in q.text and name(mentions, q.speaker) == "Anna Berg"


def test_fragment_quoted_inside_indirect_speech_belongs_to_its_speaker(nlp: Language) -> None:
    text = 'Anna Berg praised the army. She stated that the people will always stand "in one trench" with it.'
    quotes, mentions = run(nlp, text)
    assert name(mentions, quote_with(quotes, "in one trench").speaker) == "Anna Berg"


@pytest.mark.parametrize(
    ("text", "words", "speaker", "via"),
    [
        (
            "Peter Holm said that the bridge would reopen in May after repairs.",
            "bridge would reopen",
            "Peter Holm",
            None,
        ),
        (
            "Peter Holm told reporters the talks had failed, according to Reuters.",
            "talks had failed",
            "Peter Holm",
            "Reuters",
        ),
        (
            "According to Maria Lopez, the budget will not cover the new school.",
            "budget will not cover",
            "Maria Lopez",
            None,
        ),
    ],
)
def test_indirect_speech_is_kept_with_direct_false(
    nlp: Language, text: str, words: str, speaker: str, via: str | None
) -> None:
    quotes, mentions = run(nlp, text)
    q = quote_with(quotes, words, direct=False)
    assert (name(mentions, q.speaker), name(mentions, q.via)) == (speaker, via)
    assert "according" not in q.text.lower() and not q.text.startswith("that")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("A woman from Albany said that she heard a loud bang before the shot.", None),
        ("A spokesman for the Defense Ministry said that the drills would continue.", "the Defense Ministry"),
        ("Russian officials said that the talks would resume in May.", "Russian"),
    ],
)
def test_speaker_from_a_common_noun_subject(nlp: Language, text: str, speaker: str | None) -> None:
    quotes, mentions = run(nlp, text)
    (q,) = quotes
    assert name(mentions, q.speaker) == speaker


def test_direct_quote_is_not_repeated_as_indirect_speech(nlp: Language) -> None:
    quotes, _ = run(nlp, '"We will not back down from this fight," Peter Holm said on Monday.')
    assert [q.direct for q in quotes] == [True]


def test_quote_with_no_attributable_speaker_has_speaker_none(nlp: Language) -> None:
    text = 'The sign on the door read "closed for the winter season until further notice" in red letters.'
    quotes, _ = run(nlp, text)
    q = quote_with(quotes, "closed for the winter")
    assert q.speaker is None and q.cue is None


@pytest.mark.parametrize(
    "text",
    [
        'The two countries signed a so-called "framework agreement on military cooperation" on Monday.',
        'The plan was "dead on arrival" for many lawmakers in the capital.',
        "The film, dubbed “The Long Night of the Ministries”, opens in May.",
        # a name after "called", and the second of two names coordinated after "dubbed"
        'The company sells small programs, commonly called "apps for the busy modern family," online.',
        'Two new tools were added to the system, dubbed "Night Watch" and "Harbor Light."',
        # titles of works in title case, with no naming word before them
        "He is the author of two books, including “Builders of Thunder: The Dawn of the Steam Age” "
        "and “The Long Peace: A Short History.”",
        'Peter Holm testified that he believed the name of the defendant was "Marcus Doyle," in court.',
    ],
)
def test_scare_quotes_and_quoted_names_are_not_quotes(nlp: Language, text: str) -> None:
    quotes, _ = run(nlp, text)
    assert [q for q in quotes if q.direct] == []


def test_quotes_come_in_text_order_with_offsets_into_the_text(nlp: Language) -> None:
    text = (
        '"We will rebuild," Peter Holm said. Anna Berg said that the money would not be enough. '
        '"It never is," she added.'
    )
    quotes, _ = run(nlp, text)
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    assert all(text[q.start : q.end] == q.text for q in quotes)


def test_empty_document_has_no_quotes(nlp: Language) -> None:
    assert run(nlp, "")[0] == []


# --------------------------------------------------------------------------- tables


def test_reporting_cue_table_reads_kinds_and_flags() -> None:
    cues = reporting_cues()
    assert cues["say"].kind == "verb" and cues["say"].direct and cues["say"].indirect
    assert cues["quote"].kind == "relay"
    assert cues["according to"].kind == "prep"
    assert cues["so called"].kind == "naming" and not cues["so called"].direct
    assert cues["point"].particle == "out"
    assert cues["read"].kind == "written"
    assert all(c.kind in {"verb", "relay", "prep", "naming", "written"} for c in cues.values())
    assert {"statement", "letter"} <= document_nouns() and "statement" not in cues


def test_gender_cue_table_has_only_two_values() -> None:
    table = gender_cues()
    assert table["mrs."] == "f" and table["mr"] == "m"
    assert set(table.values()) == {"m", "f"}
