"""ECB+ reader: on small hand-written files, then over the real corpus when it is beside the checkout."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from storyline.evaluation.coref import b_cubed, muc
from storyline.evaluation.ecbplus import (
    EcbDocument,
    EcbMention,
    event_mentions,
    gold_clusters,
    is_event,
    read_corpus,
    read_document,
    selected_sentences,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = REPO_ROOT / ".." / "shared" / "dev" / "ecbplus"
TOPICS = {"1", "5", "7", "9", "11", "19", "23", "25", "27", "29", "31", "33", "35", "37", "39", "41", "43"}


def write_doc(path: Path, sentences: list[list[str]], markables: str = "", relations: str = "") -> Path:
    """An ECB+-shaped XML file: tokens numbered from 1, sentence numbers from 0."""
    lines = [f'<Document doc_name="{path.name}" doc_id="DOC1">']
    t_id = 1
    for s, words in enumerate(sentences):
        for n, word in enumerate(words):
            lines.append(f'<token t_id="{t_id}" sentence="{s}" number="{n}">{word}</token>')
            t_id += 1
    lines += ["<Markables>", markables, "</Markables>", "<Relations>", relations, "</Relations>", "</Document>"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def anchors(*t_ids: int) -> str:
    return "".join(f'<token_anchor t_id="{t}"/>' for t in t_ids)


SAMPLE_SENTENCES = [
    ["http", ":", "/", "/", "www", ".", "example", ".", "com", "/", "news"],
    ["Police", "arrested", "the", "man", "(", "42", ")", "on", "Monday", "."],
    ["``", "He", "did", "n't", "run", ",", "''", "said", "AMD", "’", "s", "chief", ",", '"', "really", '"', "."],
    ["The", "arrest", "cost", "$", "5", ",", "a", "10", "%", "rise", "."],
]
SAMPLE_MARKABLES = f"""
<ACTION_OCCURRENCE m_id="1">{anchors(13)}</ACTION_OCCURRENCE>
<HUMAN_PART_PER m_id="2">{anchors(14, 15)}</HUMAN_PART_PER>
<TIME_DATE m_id="3">{anchors(20)}</TIME_DATE>
<NEG_ACTION_OCCURRENCE m_id="4">{anchors(25)}</NEG_ACTION_OCCURRENCE>
<HUMAN_PART_ORG m_id="5">{anchors(30, 32)}</HUMAN_PART_ORG>
<ACTION_OCCURRENCE m_id="6">{anchors(40)}</ACTION_OCCURRENCE>
<ACTION_STATE m_id="7">{anchors(48)}</ACTION_STATE>
<ACTION_OCCURRENCE m_id="20" RELATED_TO="" TAG_DESCRIPTOR="t9_arrest" instance_id="ACT123" />
<UNKNOWN_INSTANCE_TAG m_id="21" RELATED_TO="" TAG_DESCRIPTOR="" />
"""
SAMPLE_RELATIONS = """
<CROSS_DOC_COREF r_id="1" note="ACT123"><source m_id="1" /><source m_id="6" /><target m_id="20" /></CROSS_DOC_COREF>
<INTRA_DOC_COREF r_id="2"><source m_id="2" /><source m_id="5" /><target m_id="21" /></INTRA_DOC_COREF>
"""


@pytest.fixture
def sample(tmp_path: Path) -> EcbDocument:
    path = write_doc(tmp_path / "xml" / "9" / "9_3ecbplus.xml", SAMPLE_SENTENCES, SAMPLE_MARKABLES, SAMPLE_RELATIONS)
    return read_document(path)


def test_document_name_topic_and_half_come_from_the_file_stem(sample: EcbDocument) -> None:
    assert (sample.name, sample.topic, sample.half, sample.number) == ("9_3ecbplus", "9", "ecbplus", 3)


def test_text_has_one_sentence_per_line_with_light_detokenisation(sample: EcbDocument) -> None:
    assert sample.text.split("\n") == [
        "http://www.example.com/news",
        "Police arrested the man (42) on Monday.",
        "``He didn't run,'' said AMD’s chief, \"really\".",
        "The arrest cost $5, a 10% rise.",
    ]


def test_every_token_offset_points_at_the_token_text(sample: EcbDocument) -> None:
    words = [w for sentence in SAMPLE_SENTENCES for w in sentence]
    assert [t_id for t_id, _, _ in sample.tokens] == list(range(1, len(words) + 1))
    assert [sample.text[start:end] for _, start, end in sample.tokens] == words


def test_sentences_are_spans_of_the_lines_with_their_xml_numbers(sample: EcbDocument) -> None:
    assert [sample.text[s:e] for s, e in sample.sentences] == sample.text.split("\n")
    assert sample.sentence_numbers == [0, 1, 2, 3]
    assert sample.sentence_index == {0: 0, 1: 1, 2: 2, 3: 3}
    assert sample.sentence_text(1) == "Police arrested the man (42) on Monday."


def test_mentions_carry_kind_sentence_offsets_and_text(sample: EcbDocument) -> None:
    by_id = {m.id: m for m in sample.mentions}
    arrested = by_id["9_3ecbplus#1"]
    assert (arrested.kind, arrested.sentence, arrested.text, arrested.doc, arrested.topic, arrested.half) == (
        "ACTION_OCCURRENCE",
        1,
        "arrested",
        "9_3ecbplus",
        "9",
        "ecbplus",
    )
    assert sample.text[arrested.start : arrested.end] == "arrested"
    assert by_id["9_3ecbplus#2"].text == "the man"
    assert by_id["9_3ecbplus#4"].text == "n't"


def test_discontinuous_mention_spans_first_to_last_anchored_token(sample: EcbDocument) -> None:
    m = next(m for m in sample.mentions if m.m_id == "5")
    assert m.token_ids == (30, 32)
    assert m.text == "AMD’s"


def test_instances_are_cross_doc_ids_else_intra_doc_chains_else_singletons(sample: EcbDocument) -> None:
    instance = {m.m_id: m.instance for m in sample.mentions}
    assert instance["1"] == instance["6"] == "ACT123"
    assert instance["2"] == instance["5"] == "INTRA:9_3ecbplus#21"
    assert instance["3"] == "SINGLETON:9_3ecbplus#3"
    assert instance["7"] == "SINGLETON:9_3ecbplus#7"
    assert next(m for m in sample.mentions if m.m_id == "1").descriptor == "t9_arrest"


def test_instance_markables_are_not_mentions(sample: EcbDocument) -> None:
    assert {m.m_id for m in sample.mentions} == {"1", "2", "3", "4", "5", "6", "7"}


def test_is_event_accepts_action_and_negated_action_kinds_only(sample: EcbDocument) -> None:
    assert {m.m_id for m in sample.mentions if is_event(m)} == {"1", "4", "6", "7"}
    fake = EcbMention("d#1", "d", "1", "ecb", 0, "NEG_ACTION_STATE", 0, 1, "x", "SINGLETON:d#1")
    assert is_event(fake)
    assert not is_event(EcbMention("d#2", "d", "1", "ecb", 0, "NON_HUMAN_PART", 0, 1, "x", "SINGLETON:d#2"))


def test_event_mentions_keep_only_selected_sentences_when_given(sample: EcbDocument) -> None:
    assert [m.m_id for m in event_mentions([sample], None)] == ["1", "4", "6", "7"]
    assert [m.m_id for m in event_mentions([sample], {("9_3ecbplus", 3)})] == ["6", "7"]
    assert event_mentions([sample], {("9_4ecbplus", 3)}) == []
    assert event_mentions([sample], set()) == []


def test_gold_clusters_group_mention_ids_by_instance(sample: EcbDocument) -> None:
    clusters = gold_clusters(event_mentions([sample]))
    assert sorted(map(sorted, clusters)) == [["9_3ecbplus#1", "9_3ecbplus#6"], ["9_3ecbplus#4"], ["9_3ecbplus#7"]]


def test_selected_sentences_read_the_csv_into_stem_and_number(tmp_path: Path) -> None:
    (tmp_path / "ECBplus_coreference_sentences.csv").write_text(
        "Topic,File,Sentence Number\n1,10ecbplus,1\n1,10ecbplus,3\n12,2ecb,0\n", encoding="utf-8"
    )
    assert selected_sentences(tmp_path) == {("1_10ecbplus", 1), ("1_10ecbplus", 3), ("12_2ecb", 0)}


def test_read_corpus_sorts_by_numeric_topic_half_and_document_number(tmp_path: Path) -> None:
    for stem in ["10_2ecb", "2_10ecbplus", "2_2ecbplus", "2_10ecb", "2_9ecb"]:
        write_doc(tmp_path / "xml" / stem.split("_")[0] / f"{stem}.xml", [["Word", "."]])
    (tmp_path / "xml" / "2" / "notes.xml").write_text("<x/>", encoding="utf-8")
    names = [d.name for d in read_corpus(tmp_path)]
    assert names == ["2_9ecb", "2_10ecb", "2_2ecbplus", "2_10ecbplus", "10_2ecb"]
    assert [d.name for d in read_corpus(tmp_path, topics=["10"])] == ["10_2ecb"]
    assert [d.name for d in read_corpus(tmp_path, topics=[])] == []


def test_read_document_rejects_a_file_name_that_is_not_an_ecb_document(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="ECB"):
        read_document(write_doc(tmp_path / "notes.xml", [["Word"]]))


# --- the real corpus ----------------------------------------------------------------------------

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="ECB+ corpus not found beside the checkout")


@pytest.fixture(scope="module")
def corpus() -> list[EcbDocument]:
    return read_corpus(CORPUS)


@pytest.fixture(scope="module")
def raw_tokens() -> dict[str, dict[int, str]]:
    """Each file's tokens straight from the XML, t_id -> text, read without the reader."""
    tokens: dict[str, dict[int, str]] = {}
    for path in (CORPUS / "xml").glob("*/*.xml"):
        root = ET.parse(path).getroot()
        tokens[path.stem] = {int(t.get("t_id", "0")): t.text or "" for t in root.iter("token")}
    return tokens


@needs_corpus
def test_corpus_has_the_17_topics_and_397_documents_of_the_release(corpus: list[EcbDocument]) -> None:
    assert {d.topic for d in corpus} == TOPICS
    assert len(corpus) == 397
    assert {(d.topic, d.half) for d in corpus} == {(t, h) for t in TOPICS for h in ("ecb", "ecbplus")}


@needs_corpus
def test_topics_filter_reads_only_those_topics(corpus: list[EcbDocument]) -> None:
    some = read_corpus(CORPUS, topics=["5", "43"])
    assert [d.name for d in some] == [d.name for d in corpus if d.topic in {"5", "43"}]


@needs_corpus
def test_every_token_offset_matches_the_xml_token(
    corpus: list[EcbDocument], raw_tokens: dict[str, dict[int, str]]
) -> None:
    for doc in corpus:
        raw = raw_tokens[doc.name]
        assert len(doc.tokens) == len(raw), doc.name
        for t_id, start, end in doc.tokens:
            assert doc.text[start:end] == raw[t_id], (doc.name, t_id)


@needs_corpus
def test_every_mention_text_is_its_tokens_joined_as_in_the_text(
    corpus: list[EcbDocument], raw_tokens: dict[str, dict[int, str]]
) -> None:
    for doc in corpus:
        raw = raw_tokens[doc.name]
        order = [t_id for t_id, _, _ in doc.tokens]
        position = {t_id: i for i, t_id in enumerate(order)}
        for m in doc.mentions:
            assert m.text == doc.text[m.start : m.end], m.id
            first, last = position[m.token_ids[0]], position[m.token_ids[-1]]
            covered = "".join(raw[t] for t in order[first : last + 1])
            assert "".join(m.text.split()) == "".join(covered.split()), m.id
            assert m.text.startswith(raw[m.token_ids[0]]) and m.text.endswith(raw[m.token_ids[-1]]), m.id


@needs_corpus
def test_mention_ids_are_unique_in_the_corpus(corpus: list[EcbDocument]) -> None:
    ids = [m.id for d in corpus for m in d.mentions]
    assert len(ids) == len(set(ids))


@needs_corpus
def test_every_cross_doc_source_gets_its_instance(corpus: list[EcbDocument]) -> None:
    by_id = {m.id: m for d in corpus for m in d.mentions}
    linked = 0
    for path in (CORPUS / "xml").glob("*/*.xml"):
        relations = ET.parse(path).getroot().find("Relations")
        for rel in relations.iter("CROSS_DOC_COREF") if relations is not None else ():
            for src in rel.iter("source"):
                assert by_id[f"{path.stem}#{src.get('m_id')}"].instance == rel.get("note")
                linked += 1
    assert linked > 0


@needs_corpus
def test_cross_doc_chains_never_leave_their_topic(corpus: list[EcbDocument]) -> None:
    topics: dict[str, set[str]] = {}
    for m in (m for d in corpus for m in d.mentions):
        topics.setdefault(m.instance, set()).add(m.topic)
    assert all(len(t) == 1 for t in topics.values())


@needs_corpus
def test_event_kinds_are_exactly_the_action_and_negated_action_tags(corpus: list[EcbDocument]) -> None:
    kinds = Counter(m.kind for d in corpus for m in d.mentions)
    events = {k for k in kinds if is_event(EcbMention("x#1", "x", "1", "ecb", 0, k, 0, 0, "", ""))}
    assert events == {k for k in kinds if k.startswith(("ACTION_", "NEG_ACTION_"))}
    assert {"ACTION_OCCURRENCE", "ACTION_STATE", "ACTION_REPORTING", "NEG_ACTION_OCCURRENCE"} <= events
    others = set(kinds) - events
    assert all(k.startswith(("TIME_", "LOC_", "HUMAN_PART", "NON_HUMAN_PART")) for k in others), others
    assert "UNKNOWN_INSTANCE_TAG" not in kinds  # an instance tag only


@needs_corpus
def test_xml_sentence_numbers_start_at_zero_and_have_no_gaps(corpus: list[EcbDocument]) -> None:
    for doc in corpus:
        assert doc.sentence_numbers == list(range(len(doc.sentences))), doc.name


@needs_corpus
def test_csv_sentences_exist_and_skip_the_url_line_of_ecbplus_files(corpus: list[EcbDocument]) -> None:
    docs = {d.name: d for d in corpus}
    selected = selected_sentences(CORPUS)
    assert {name for name, _ in selected} == set(docs)
    for name, number in selected:
        assert number in docs[name].sentence_index, (name, number)
    for doc in corpus:
        if doc.half == "ecbplus":
            assert doc.sentence_text(0).startswith("http"), doc.name
            assert (doc.name, 0) not in selected


@needs_corpus
@pytest.mark.parametrize("half", ["ecb", "ecbplus"])
def test_csv_sentence_numbers_align_with_the_xml_without_offset(corpus: list[EcbDocument], half: str) -> None:
    """Linked event mentions fall in listed sentences far more often as numbered than shifted by one."""
    selected = selected_sentences(CORPUS)
    linked = [m for m in event_mentions(d for d in corpus if d.half == half) if not m.instance.startswith("SINGLETON")]

    def share(shift: int) -> float:
        return sum((m.doc, m.sentence + shift) in selected for m in linked) / len(linked)

    assert share(0) > 1.5 * max(share(-1), share(1))


@needs_corpus
def test_selected_events_form_a_gold_clustering_that_scores_perfectly_against_itself(
    corpus: list[EcbDocument],
) -> None:
    events = event_mentions(corpus, selected_sentences(CORPUS))
    assert events and all(is_event(m) for m in events)
    key = gold_clusters(events)
    assert sum(len(c) for c in key) == len(events)
    assert b_cubed(key, key)[2] == pytest.approx(1.0)
    assert muc(key, key)[2] == pytest.approx(1.0)
    assert len(events) < len(event_mentions(corpus))
