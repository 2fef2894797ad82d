"""The name tables are data: well formed, no duplicates, and the folding they drive."""

from __future__ import annotations

from collections import Counter

import pycountry
import pytest

from storyline.nlp.names import DATA, country_of_capital, load_lexicon, plain, read_tsv

TABLES = {
    "demonyms.tsv": ["demonym", "place"],
    "places.tsv": ["canonical", "type", "iso", "aliases"],
    "name_parts.tsv": ["word", "kind"],
    "romanisation.tsv": ["kind", "from", "to"],
    "capitals.tsv": ["country", "capital", "aliases"],
    "given_names.tsv": ["variants"],
}


@pytest.mark.parametrize(("name", "columns"), sorted(TABLES.items()))
def test_table_has_its_columns_and_no_blank_cells(name: str, columns: list[str]) -> None:
    header = next(ln for ln in (DATA / name).read_text(encoding="utf-8").splitlines() if not ln.startswith("#"))
    assert header.split("\t") == columns
    rows = read_tsv(name)
    assert rows
    optional = {"iso", "aliases"}
    for row in rows:
        assert all(row[c] for c in columns if c not in optional), row


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("demonyms.tsv", lambda r: plain(r["demonym"])),
        ("places.tsv", lambda r: r["canonical"]),
        ("name_parts.tsv", lambda r: (r["word"], r["kind"])),
        ("romanisation.tsv", lambda r: (r["kind"], r["from"])),
        ("capitals.tsv", lambda r: plain(r["capital"])),
        ("given_names.tsv", lambda r: r["variants"].split("|")[0]),
    ],
)
def test_table_has_no_duplicate_rows(name: str, key) -> None:
    counts = Counter(key(r) for r in read_tsv(name))
    assert [k for k, n in counts.items() if n > 1] == []


def test_no_alias_names_two_places() -> None:
    seen: dict[str, str] = {}
    for row in read_tsv("places.tsv"):
        for alias in [row["canonical"], *filter(None, row["aliases"].split("|"))]:
            assert seen.setdefault(plain(alias), row["canonical"]) == row["canonical"], alias


def test_place_iso_codes_exist() -> None:
    for row in read_tsv("places.tsv"):
        if row["iso"]:
            assert pycountry.countries.get(alpha_2=row["iso"]) is not None, row


def test_name_part_kinds_are_known() -> None:
    kinds = {r["kind"] for r in read_tsv("name_parts.tsv")}
    assert kinds <= {
        "honorific", "title", "modifier", "org_suffix", "particle", "connector", "institution", "caption",
        "vessel_prefix", "org_head", "offence", "head_of_state", "kin", "street",
    }


def test_every_demonym_names_a_known_place() -> None:
    lex = load_lexicon()
    for row in read_tsv("demonyms.tsv"):
        assert lex.place(row["place"]) is not None, row


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("U.S.", "United States"),
        ("United States of America", "United States"),
        ("Democratic People\u2019s Republic of Korea", "North Korea"),
        ("DPRK", "North Korea"),
        ("Russian Federation", "Russia"),
        ("Viet Nam", "Vietnam"),
        ("Germany", "Germany"),
    ],
)
def test_place_names_reach_one_canonical_name(name: str, canonical: str) -> None:
    place = load_lexicon().place(name)
    assert place is not None and place[0] == canonical


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Sergey Shoygu", "Sergei Shoigu", True),
        ("Kim Jong-un", "Kim Jong Un", True),
        ("Choe Ryong-hae", "Choi Ryong Hae", True),
        ("Kim Jong Un", "Kim Yo-jong", False),
        ("North Korea", "South Korea", False),
    ],
)
def test_fold_joins_romanisation_variants_only(a: str, b: str, same: bool) -> None:
    lex = load_lexicon()
    assert (lex.fold(a) == lex.fold(b)) is same


@pytest.mark.parametrize(("text", "place"), [("North Koreans", "North Korea"), ("Russian", "Russia"), ("Korean", None)])
def test_demonym_lookup_takes_plurals_and_leaves_ambiguous_ones(text: str, place: str | None) -> None:
    assert load_lexicon().demonym(text) == place


def test_every_capital_names_a_country_the_place_table_knows() -> None:
    lex = load_lexicon()
    for row in read_tsv("capitals.tsv"):
        assert lex.place(row["country"]) == (row["country"], "GPE"), row
        for alias in [row["capital"], *filter(None, row["aliases"].split("|"))]:
            assert lex.place(alias) is None, alias  # a capital is never itself a country's name


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Washington", "United States"),
        ("Washington D.C.", "United States"),
        ("Moscow", "Russia"),
        ("Pyongyang", "North Korea"),
        ("Kiev", "Ukraine"),
        ("Khartoum", "Sudan"),
        ("Beijing", "China"),
        ("Brooklyn", None),
        ("Sudan", None),
        ("Jerusalem", None),
    ],
)
def test_country_of_capital(name: str, country: str | None) -> None:
    assert country_of_capital(name) == country


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Bill", "William"),
        ("Alexis", "Alexandros"),
        ("Sergey", "Sergei"),
        ("Volodymyr", "Vladimir"),
        ("Alex", "Alexandra"),
        ("Alex", "Alexander"),
    ],
)
def test_listed_given_name_variants_are_one_name(a: str, b: str) -> None:
    assert load_lexicon().same_given_name(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Alexander", "Alexandra"), ("William", "Robert"), ("Patrick", "Patricia"), ("Jermayne", "Jamal")],
)
def test_different_given_names_are_not_variants(a: str, b: str) -> None:
    assert not load_lexicon().same_given_name(a, b)
