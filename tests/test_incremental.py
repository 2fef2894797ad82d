"""Incremental builds: a build after adding a file gives, byte for byte, the dossier of a fresh build of
all the files, and what the corpus stage keeps between builds (documents' tokens) is used only under
the version that made it."""

from __future__ import annotations

import shutil
from pathlib import Path

from spacy.matcher import PhraseMatcher
from sqlalchemy import text

from storyline import api
from storyline.config import BuildConfig
from storyline.pipeline import build, run_resolve
from storyline.resolve import resolve
from storyline.resolve.names import (
    TOKENS_VERSION,
    TokenCache,
    _blank,
    _matches,
    _spacy_matches,
    _tokens,
    add_corpus_mentions,
    decode_tokens,
    encode_tokens,
)
from storyline.store import Store


def _token_rows(store: Store) -> dict[str, tuple[str, bytes]]:
    with store.engine.connect() as conn:
        return {r[0]: (r[1], bytes(r[2])) for r in conn.execute(text("SELECT doc_id, version, data FROM doc_tokens"))}


def _corpus(tmp_path: Path, demo_corpus: Path) -> tuple[Path, Path, Path]:
    """The demo corpus in a folder of its own, its last file held back outside it."""
    folder, held = tmp_path / "corpus", tmp_path / "held"
    shutil.copytree(demo_corpus, folder)
    held.mkdir()
    last = sorted(folder.glob("*.txt"))[-1]
    shutil.move(last, held / last.name)
    return folder, held / last.name, folder / last.name


def test_a_build_after_adding_a_file_gives_the_fresh_builds_dossier(tmp_path: Path, demo_corpus: Path) -> None:
    folder, held, back = _corpus(tmp_path, demo_corpus)
    grown, fresh = tmp_path / "grown.db", tmp_path / "fresh.db"
    with Store(grown) as store:
        build([folder], store, BuildConfig())
        before = _token_rows(store)
    assert before and {v for v, _ in before.values()} == {TOKENS_VERSION}
    shutil.move(held, back)
    with Store(grown) as store:
        report = build([folder], store, BuildConfig())
        after = _token_rows(store)
        documents = [d for d in store.documents(with_raw=False) if d.not_analysed is None]
        tokens = TokenCache(store.doc_tokens(TOKENS_VERSION))
        resolve(documents, store.analyses(), tokens=tokens)
    assert report.documents_added == 1 and report.analysed == 1
    assert {k: v for k, v in after.items() if k in before} == before  # kept, not made again
    assert len(after) == len(before) + 1 == len(documents)
    assert tokens.made == {}  # every document's tokens come from the store now
    with Store(fresh) as store:
        build([folder], store, BuildConfig())
    a, b = api.export(grown, "json", tmp_path / "grown.json"), api.export(fresh, "json", tmp_path / "fresh.json")
    assert a.read_bytes() == b.read_bytes()


def test_tokens_of_another_version_are_made_again(tmp_path: Path, demo_corpus: Path) -> None:
    """Rows an older tokenizer left (another version) are never read: the corpus stage tokenises again,
    gives the dossier it gave, and stores its own tokens in their place."""
    db = tmp_path / "s.db"
    with Store(db) as store:
        build([demo_corpus], store, BuildConfig())
    first = api.export(db, "json", tmp_path / "first.json").read_bytes()
    with Store(db) as store:
        right = _token_rows(store)
        with store.transaction() as conn:  # no tokens at all, as another spaCy's tokenizer might have said
            conn.execute(
                text("UPDATE doc_tokens SET version = 'spacy-0.0.0/blank-en/1', data = :d"),
                {"d": encode_tokens([], [])},
            )
        assert store.doc_tokens(TOKENS_VERSION) == {}
        run_resolve(store, BuildConfig())
        assert _token_rows(store) == right
    assert api.export(db, "json", tmp_path / "again.json").read_bytes() == first


def test_stored_tokens_are_what_the_name_evidence_reads(tmp_path: Path, demo_corpus: Path) -> None:
    """Under the current version the stored tokens are used as they are (so they must be exact): with
    none for a document, no name is found untagged in it."""
    db = tmp_path / "s.db"
    with Store(db) as store:
        build([demo_corpus], store, BuildConfig())
        documents = [d for d in store.documents(with_raw=False) if d.not_analysed is None]
        cached = store.doc_tokens(TOKENS_VERSION)
        found = add_corpus_mentions(documents, store.analyses(), TokenCache(cached))
        empty = {doc: encode_tokens([], []) for doc in cached}
        none = add_corpus_mentions(documents, store.analyses(), TokenCache(empty))
        tokenised = add_corpus_mentions(documents, store.analyses())  # each document tokenised here
    assert found == tokenised
    assert found and none == {}


def test_token_offsets_round_trip_and_match_as_the_phrase_matcher_does(demo_corpus: Path) -> None:
    nlp = _blank()
    texts = [p.read_text(encoding="utf-8") for p in sorted(demo_corpus.glob("*.txt"))]
    names = ["Kim", "Kim Jong Un", "Jong Un", "North Korea", "Korea", "Russia", "Putin", "Vladimir Putin", "the"]
    first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    for s in sorted(names):
        pattern = tuple(t.text for t in nlp.make_doc(s))
        first.setdefault(pattern[0], []).append((pattern, s))
        matcher.add(s, [nlp.make_doc(s)])
    for cands in first.values():
        cands.sort(key=lambda c: len(c[0]))
    seen: set[str] = set()
    for i, body in enumerate(texts):
        doc = nlp.make_doc(body)
        starts, ends = [t.idx for t in doc], [t.idx + len(t) for t in doc]
        assert decode_tokens(encode_tokens(starts, ends)) == (starts, ends)
        cache = TokenCache()
        toks = _tokens(f"d{i}", body, nlp, cache)
        assert list(cache.made) == [f"d{i}"]
        assert toks.words == [t.text for t in doc]
        assert [toks.whitespace(k) for k in range(len(doc))] == [t.whitespace_ for t in doc]
        ours = sorted((m.label_, m.start, m.end, m.start_char, m.end_char) for m in _matches(toks, first))
        spans = matcher(doc, as_spans=True)
        spacy_own = sorted((sp.label_, sp.start, sp.end, sp.start_char, sp.end_char) for sp in spans)
        assert ours == spacy_own
        # names of different tokens: the matcher's own order too (what filter_spans keeps among equals)
        assert [(m.label_, m.start, m.end) for m in _matches(toks, first)] == [
            (sp.label_, sp.start, sp.end) for sp in spans
        ]
        rebuilt = _spacy_matches(toks, matcher, nlp)  # the fallback: the matcher on a Doc of the kept tokens
        assert sorted((m.label_, m.start, m.end, m.start_char, m.end_char) for m in rebuilt) == spacy_own
        seen |= {m[0] for m in ours}
    assert {"Kim", "Kim Jong Un", "Jong Un", "the"} <= seen  # nested and overlapping occurrences too
