"""One way to name a source, everywhere: `show REF`, `bookmarks add REF`, `source:REF` in a search.

A reference is an article id, a unique prefix of one, its number in `briefing sources` (1-based),
or an outlet name (any case; a whole outlet name or whole words of it: `reuters`, `"associated
press"`). An outlet with several articles names them all in a search, and is ambiguous for `show`.
"""

from __future__ import annotations

import re
from typing import Sequence

from briefing.index.model import Article
from briefing.index.text import display_safe

_SOURCE = re.compile(r'(?<![\w:])source:(?:"([^"]*)"|([^\s()"]+))', re.IGNORECASE)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def by_outlet(articles: Sequence[Article], ref: str) -> list[Article]:
    """Articles whose outlet is `ref` (any case), else whose outlet has `ref`'s words in a row."""
    want = _words(ref)
    if not want:
        return []
    exact = [a for a in articles if a.outlet and _words(a.outlet) == want]
    if exact:
        return exact
    n = len(want)
    return [a for a in articles if a.outlet and any(_words(a.outlet)[i : i + n] == want for i in range(len(_words(a.outlet))))]


def resolve(articles: Sequence[Article], ref: str) -> list[Article]:
    """Every article `ref` names (empty: none). Raises KeyError for an ambiguous id prefix."""
    ref = ref.strip()
    if not ref:
        return []
    for a in articles:
        if a.id == ref:
            return [a]
    prefixed = [a for a in articles if a.id.startswith(ref)]
    if len(prefixed) == 1:
        return prefixed
    if ref.isdigit() and not prefixed and 1 <= int(ref) <= len(articles):
        return [articles[int(ref) - 1]]
    outlet = by_outlet(articles, ref)
    if outlet:
        return outlet
    if len(prefixed) > 1:
        raise KeyError(f"source '{display_safe(ref)}' is ambiguous: " + ", ".join(a.id for a in prefixed[:5]))
    return []


def unknown(articles: Sequence[Article], ref: str) -> str:
    outlets = sorted({a.outlet for a in articles if a.outlet})
    listed = ", ".join(outlets[:8]) + (" …" if len(outlets) > 8 else "")
    return (
        f"unknown source '{display_safe(ref)}': give an id, a unique prefix of one, a number from 1 to {len(articles)}"
        + (f" or an outlet ({listed})" if outlets else "")
        + " (see `briefing sources`)"
    )


def find(articles: Sequence[Article], ref: str) -> Article:
    """The one article `ref` names. Raises KeyError (with a message for a person) otherwise."""
    found = resolve(articles, ref)
    if len(found) == 1:
        return found[0]
    if found:
        raise KeyError(f"source '{display_safe(ref)}' is ambiguous: " + ", ".join(f"{a.id} ({a.outlet})" for a in found[:5]))
    raise KeyError(unknown(articles, ref))


def _term(article_id: str) -> str:
    return f"source:{article_id}" if re.fullmatch(r"[\w.-]+", article_id) else f'source:"{article_id}"'


def rewrite(query: str, articles: Sequence[Article]) -> tuple[str, str | None, list[tuple[str, str]]]:
    """`query` with each `source:REF` replaced by the ids it names, an error (or None), and the
    (replacement, as typed) pairs, to put a did-you-mean back in the user's words (`restore`).

    A reference that names nothing is an error (a search for it would silently find nothing).
    """
    error: list[str] = []
    replaced: list[tuple[str, str]] = []

    def replace(m: re.Match[str]) -> str:
        ref = m.group(1) if m.group(1) is not None else m.group(2)
        try:
            found = resolve(articles, ref)
        except KeyError as exc:
            error.append(str(exc.args[0]))
            return m.group(0)
        if not found:
            error.append(unknown(articles, ref))
            return m.group(0)
        term = _term(found[0].id) if len(found) == 1 else "(" + " OR ".join(_term(a.id) for a in found) + ")"
        replaced.append((term, m.group(0)))
        return term

    rewritten = _SOURCE.sub(replace, query)
    return rewritten, (error[0] if error else None), replaced


def restore(text: str, replaced: list[tuple[str, str]]) -> str:
    """A string built from the rewritten query (a did-you-mean) with the references as typed."""
    for term, typed in replaced:
        text = text.replace(term, typed, 1)
    return text
