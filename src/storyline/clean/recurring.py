"""Lines that recur across pages of one site: the site's menus, share boxes and footers."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

from storyline.clean.lines import normalise_line

RECURRING_MAX_CHARS = 300  # longer lines are body text, never counted as site boilerplate
MIN_DOCS = 2  # matches the pipeline's MIN_SITE_DOCS; clean_text guards against copies of one article
MIN_SHARE = 0.0  # of the site's distinct pages; raise it for big crawls of one site


def page_key(raw: str) -> str:
    """A digest of a page's raw text: identical pages count once towards a site's recurring lines."""
    return hashlib.blake2b(raw.encode("utf-8"), digest_size=16).hexdigest()


def page_lines(raw: str) -> dict[str, str]:
    """Each short line of a page that a site can repeat, as ``line key -> normalise_line() form``.

    The key is a digest of the normalised form, so the store counts lines in fixed-size keys.
    """
    out: dict[str, str] = {}
    for line in raw.split("\n"):
        if 0 < len(line.strip()) <= RECURRING_MAX_CHARS:
            norm = normalise_line(line)
            if norm:
                out[hashlib.blake2b(norm.encode("utf-8"), digest_size=12).hexdigest()] = norm
    return out


def recurring_lines(texts: Iterable[str], min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE) -> frozenset[str]:
    """Normalised lines found in at least ``min_docs`` distinct pages (and ``min_share`` of them).

    Pages with identical text count once, so a file saved twice does not make its own
    sentences boilerplate.
    """
    counts: Counter[str] = Counter()
    seen: set[bytes] = set()
    for text in texts:
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        if digest in seen:
            continue
        seen.add(digest)
        lines = {normalise_line(x) for x in text.split("\n") if 0 < len(x.strip()) <= RECURRING_MAX_CHARS}
        lines.discard("")
        counts.update(lines)
    need = max(min_docs, min_share * len(seen))
    return frozenset(line for line, n in counts.items() if n >= need)
