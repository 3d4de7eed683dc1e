"""Issue 18, item 12: a long article's quotations are found in stretches of paragraphs (memory
stays bounded); on ordinary articles, cut into stretches far smaller than any real one, the
stretches give exactly the quotations, speakers, roles and sides of one reading."""

from __future__ import annotations

import pytest

from briefing.index.corpus.cleaning import clean_article
from briefing.index.model import Manifest, Side
from briefing.index.quotes import extract
from briefing.index.quotes.records import from_record, read_pairs, to_record

FIELDS = ("id", "paragraph", "start", "end", "text", "kind", "speaker", "speaker_as_given", "role", "side",
          "cue", "marked", "via", "names")

# Full names once, surnames and pronouns after, a pronoun three paragraphs from its name, a
# quotation over two paragraphs, and a second speaker in between.
ARTICLE = """Talks resume in Geneva

GENEVA — Deputy Foreign Minister Ana M. Belmonte of Northland brought her delegation to meet envoys from Southland on Monday for talks that ran late into the night.

“We came to listen,” Belmonte told reporters before the session began.

The Southland delegation was led by Envoy Petro Danko, who arrived on Sunday.

Danko said the mood was “frank and direct” and that his side wanted guarantees.

The session ended after eight hours without a joint statement. Belmonte said she was tired.

“There is a long way to go,” she said afterwards. “But we will be back next week.

“Nobody should expect a breakthrough before the spring,” she added.

He was more hopeful. “Progress is possible,” Danko said.

Observers said the talks would continue in Vienna.

“I believe we can close the gap,” Belmonte said on Tuesday.
"""

MANIFEST = Manifest(
    sides=[Side("north", "Northland", ("northland",)), Side("south", "Southland", ("southland",))],
    people={"Ana M. Belmonte": "north"},
)


def _rows(pairs):
    return [tuple(getattr(q, f) for f in FIELDS) for q, _ in pairs]


@pytest.mark.parametrize("window, context", [(1, 12), (2, 4), (3, 12), (4, 12), (4, 3)])
def test_stretches_give_the_quotes_of_one_reading(window, context):
    article = clean_article(ARTICLE, "talks")
    one = extract.read_article(article, MANIFEST)[0]
    rows = _rows(one)
    assert len(article.paragraphs) > 2 * window  # really read in several stretches
    # what the comparison is about: speakers found across paragraphs, by surname and pronoun
    assert {"Ana M. Belmonte", "Petro Danko"} <= {r[6] for r in rows}
    assert sum(1 for q, _ in one if q.speaker == "Ana M. Belmonte" and "Belmonte" not in article.paragraph(q.paragraph).text) >= 2
    seen: list[tuple[int, int]] = []
    pairs = read_pairs(article, MANIFEST, lambda done, total: seen.append((done, total)), window=window, context=context)
    assert _rows(pairs) == rows
    assert seen[-1] == (len(article.paragraphs),) * 2 and len(seen) > 1
    # one entity per person across the stretches, as one reading gives: the record is the same
    assert _rows(from_record(to_record(pairs), "talks", None)) == _rows(from_record(to_record(one), "talks", None))


def test_stretches_of_the_bundled_briefing(bundled_articles):
    from support.paths import BUNDLED
    from briefing.index.corpus.manifest import load_manifest

    manifest = load_manifest(BUNDLED)
    compared = 0
    for article in bundled_articles.values():
        rows = _rows(extract.read_article(article, manifest)[0])
        for window in (3, 10):
            assert _rows(read_pairs(article, manifest, window=window)) == rows, (article.id, window)
            compared += len(rows)
    assert compared > 50


def test_an_ordinary_article_is_read_in_one_pass(monkeypatch):
    article = clean_article(ARTICLE, "talks")
    calls = []
    real = extract.read_article
    monkeypatch.setattr(extract, "read_article", lambda *a, **k: calls.append(len(a[0].paragraphs)) or real(*a, **k))
    read_pairs(article, MANIFEST)
    assert calls == [len(article.paragraphs)]
