"""Name tables (demonyms, places, titles, romanisation) and the name keys built from them.

Shared by :mod:`storyline.nlp.entities` (tidying mentions in one parse) and
:mod:`storyline.resolve.aliases` (clustering names across documents), so both read one lexicon.
The tables are data files under ``nlp/data/``; :func:`load_lexicon` reads them once per process
(an immutable object, cached like the spaCy model).
"""

from __future__ import annotations

import csv
import dataclasses
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from unidecode import unidecode

DATA = Path(__file__).resolve().parent / "data"

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'"})
_NON_WORD = re.compile(r"[^a-z0-9' ]+")
_POSSESSIVE = re.compile(r"'s?\b|'$")
_DOUBLES = re.compile(r"(.)\1+")


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a shipped TSV file (``#`` lines are comments, the first other line the header)."""
    lines = [ln for ln in (DATA / name).read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines, delimiter="\t")]


@lru_cache(maxsize=1 << 16)
def plain(text: str) -> str:
    """Lower-case ASCII words: accents, dots, hyphens and apostrophes gone ("U.S." -> "us").

    A pure function of ``text``, cached: the extractors ask it about the same few names again and again."""
    s = unidecode(text.translate(_APOSTROPHES)).lower().replace(".", "")
    s = _POSSESSIVE.sub("", s)
    s = _NON_WORD.sub(" ", s.replace("-", " "))
    return " ".join(s.split())


@dataclass(frozen=True, slots=True)
class NameLexicon:
    demonyms: dict[str, str]  # plain demonym -> place ("north korean" -> "North Korea")
    demonym_of: dict[str, str]  # place -> its first demonym ("Russia" -> "Russian")
    places: dict[str, tuple[str, str]]  # plain alias -> (canonical, type)
    kinds: dict[str, frozenset[str]]  # kind -> words (honorific, title, modifier, org_suffix, ...)
    word_variants: dict[str, str]
    substitutions: tuple[tuple[str, str], ...]
    capitals: dict[str, str] = field(default_factory=dict)  # plain capital -> country ("moscow" -> "Russia")
    seats: dict[str, str] = field(default_factory=dict)  # plain seat of government -> country ("kremlin" -> "Russia")
    given_variants: dict[str, frozenset[int]] = field(default_factory=dict)  # folded given name -> its groups
    given_names: frozenset[str] = frozenset()  # plain given names of the shipped gender table ("louis", "luis")

    def is_(self, kind: str, word: str) -> bool:
        return plain(word) in self.kinds.get(kind, frozenset())

    def place(self, name: str) -> tuple[str, str] | None:
        """(canonical, type) of a well-known place or body by any of its names, else None."""
        return self.places.get(plain(name))

    def demonym(self, text: str) -> str | None:
        """The place a demonym names ("North Koreans" -> "North Korea"), else None."""
        p = plain(text)
        if p in self.demonyms:
            return self.demonyms[p]
        if p.endswith("s") and p[:-1] in self.demonyms:
            return self.demonyms[p[:-1]]
        return None

    def country(self, words: str) -> str | None:
        """The country that ``words`` name or qualify ("Chile's", "Chilean", "South Korea"), else None."""
        place = self.place(words)
        if place is not None and place[1] == "GPE":
            return place[0]
        return self.demonym(words)

    def state_of_office(self, role: str) -> str | None:
        """The country whose head ``role`` names, else None: a ``head_of_state`` office qualified by the
        country just before it ("South Korean President", "British Prime Minister") or followed by "of" and
        the country ("President of Chile"). A role naming any other body ("Ukrainian Football Federation
        president") or another office ("Deputy Prime Minister") heads no state."""
        words = role.split()
        for k in range(len(words)):
            for start in (k - 1, k):  # a two-word office ("prime minister") or a one-word one
                if start < 0 or not self.is_("head_of_state", " ".join(words[start : k + 1])):
                    continue
                of = k + 2 < len(words) and words[k + 1].lower() == "of"
                if of and (country := self.country(" ".join(words[k + 2 :]))) is not None:
                    return country
                for n in (3, 2, 1):
                    if start - n >= 0 and (country := self.country(" ".join(words[start - n : start]))):
                        return country
        return None

    def is_head_office(self, role: str) -> bool:
        """``role`` is a ``head_of_state`` office and nothing else ("President", "Prime Minister"): the
        country that holds it is named elsewhere."""
        return self.is_("head_of_state", role)

    def country_of_capital(self, name: str) -> str | None:
        """The country whose capital ``name`` is ("Washington" -> "United States"), else None.

        A capital often stands for its government ("Moscow denied ..."): the event stage uses this
        to put the country among an event's participants.
        """
        return self.capitals.get(plain(name))

    def seat_of(self, name: str) -> str | None:
        """The country whose government sits at ``name`` ("Kremlin" -> "Russia"), else None: the seat
        stands for that government ("the Kremlin said ...")."""
        return self.seats.get(plain(name))

    def same_given_name(self, a: str, b: str) -> bool:
        """Two given names listed as variants of one name ("Bill" / "William"), spelled either way."""
        ga = self.given_variants.get("".join(self.fold(a)), frozenset())
        return bool(ga & self.given_variants.get("".join(self.fold(b)), frozenset()))

    def fold_word(self, word: str) -> str:
        """One name word with romanisation variants folded ("shoygu" -> "shoigu", "choe" -> "choi")."""
        w = self.word_variants.get(word, word)
        for a, b in self.substitutions:
            if a in w:
                w = w.replace(a, b)
        return _DOUBLES.sub(r"\1", w)

    def fold(self, name: str) -> list[str]:
        """The folded words of a name, hyphenated parts split ("Kim Jong-un" -> kim, jong, un).

        Two names that fold alike *may* be one name spelled by two romanisation systems; it takes
        other evidence (the resolver's context) to say they are.
        """
        return [self.fold_word(w) for w in plain(name).split()]

    def spell(self, name: str) -> list[str]:
        """The words of a name as spelled, only case, accents and hyphens set aside ("Kim Jong-un")."""
        return plain(name).split()

    def is_given_name(self, word: str) -> bool:
        """A given name of the shipped table ("Louis", "Luis"): a spelling of its own, not a typo."""
        return plain(word) in self.given_names


@lru_cache(maxsize=1)
def load_lexicon() -> NameLexicon:
    """Read the name tables once; pycountry adds every country's names to the place table."""
    import pycountry

    demonyms: dict[str, str] = {}
    demonym_of: dict[str, str] = {}
    for row in read_tsv("demonyms.tsv"):
        demonyms[plain(row["demonym"])] = row["place"]
        demonym_of.setdefault(row["place"], row["demonym"])
    places: dict[str, tuple[str, str]] = {}
    listed: dict[str, str] = {}
    for row in read_tsv("places.tsv"):
        entry = (row["canonical"], row["type"])
        for alias in [row["canonical"], *filter(None, row["aliases"].split("|"))]:
            places[plain(alias)] = entry
        if row["iso"]:
            listed[row["iso"]] = row["canonical"]
    for c in pycountry.countries:
        common = getattr(c, "common_name", None)
        canonical = listed.get(c.alpha_2) or common or c.name
        if "," in canonical:
            continue
        for alias in (c.name, getattr(c, "official_name", None), common, canonical):
            if alias and "," not in alias:
                places.setdefault(plain(alias), (canonical, "GPE"))
    for place in set(demonyms.values()):  # a demonym's place is a place even when pycountry lacks it
        places.setdefault(plain(place), (place, "GPE"))
    kinds: dict[str, set[str]] = {}
    for row in read_tsv("name_parts.tsv"):
        kinds.setdefault(row["kind"], set()).add(plain(row["word"]).replace(" ", "-") or row["word"])
        kinds[row["kind"]].add(plain(row["word"]))
    variants: dict[str, str] = {}
    subs: list[tuple[str, str]] = []
    for row in read_tsv("romanisation.tsv"):
        if row["kind"] == "word":
            variants[row["from"]] = row["to"]
        else:
            subs.append((row["from"], row["to"]))
    capitals: dict[str, str] = {}
    for row in read_tsv("capitals.tsv"):
        for alias in [row["capital"], *filter(None, row["aliases"].split("|"))]:
            capitals[plain(alias)] = row["country"]
    seats: dict[str, str] = {}
    for row in read_tsv("seats.tsv"):
        for alias in [row["seat"], *filter(None, row["aliases"].split("|"))]:
            seats[plain(alias)] = row["country"]
    lex = NameLexicon(
        demonyms=demonyms,
        demonym_of=demonym_of,
        places=places,
        kinds={k: frozenset(v) for k, v in kinds.items()},
        word_variants=variants,
        substitutions=tuple(subs),
        capitals=capitals,
        seats=seats,
    )
    given: dict[str, set[int]] = {}
    for g, row in enumerate(read_tsv("given_names.tsv")):
        for name in row["variants"].split("|"):
            given.setdefault("".join(lex.fold(name)), set()).add(g)
    known = frozenset(plain(row["name"]) for row in read_tsv("given_name_gender.tsv"))
    return dataclasses.replace(lex, given_variants={k: frozenset(v) for k, v in given.items()}, given_names=known)


def country_of_capital(name: str) -> str | None:
    """The country whose capital ``name`` is, from the shipped table ("Khartoum" -> "Sudan")."""
    return load_lexicon().country_of_capital(name)
