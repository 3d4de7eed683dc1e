"""Properties of the engine on arbitrary input (Hypothesis): hostile text never raises, never lets
a control character or an escape sequence through, and bad queries explain themselves.

Every test's examples are bounded (count and size) so the file runs in well under 30 seconds.
"""

from __future__ import annotations

import codecs
import os
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from briefing.index.corpus.cleaning import MAX_PARAGRAPH_CHARS, clean_article
from briefing.index.text import sanitize
from briefing.index.model import Manifest
from briefing.index.corpus.reading import Unreadable, decode, repair_mojibake


# BRIEFING_FUZZ=20 multiplies every example count, for a long hunt by hand.
SCALE = max(1, int(os.environ.get("BRIEFING_FUZZ", "1") or 1))
FAST = settings(max_examples=150 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=80 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def bad_chars(text: str) -> list[str]:
    """What must never reach a terminal: C0 controls but newline, DEL, C1 controls, surrogates."""
    return [repr(c) for c in text if (c != "\n" and unicodedata.category(c) == "Cc") or unicodedata.category(c) == "Cs"]


# ---- strategies ------------------------------------------------------------------------------

ESCAPES = [
    "\x1b[31m", "\x1b[0m", "\x1b[2J", "\x1b[H", "\x1b]0;title\x07", "\x1b]8;;http://x\x1b\\", "\x1bc", "\x1b(B",
    "\x1bP1;2|data\x1b\\", "\x9b31m", "\x9d0;t\x9c", "\x1b", "\x1b[", "\x1b]", "\x07", "\x00", "\x08", "\x7f", "\x85",
    "\r", "\r\n", "\t", "\u2028", "\u200b", "\ufeff", "\ud800",
]
PIECES = [
    "“", "”", "‘", "’", '"', "'", "«", "»", "[", "]", "(", ")", "{", "}", "[/]", "[@click=app.quit]",
    "[link=file:///etc/passwd]", "[bold]", "\\[", "â€™", "Ã©", "ðŸŽ‰", "—", "…", "\n", "\n\n", " ", ".",
    "said", "Ana Lima", "By Jane Doe", "Reuters", "Sign up", "©", "(AP) —", "MOSCOW", "🎉", "東京",
    "The council met on Tuesday to discuss the harbour and its plans for the coming year.",
]
chunks = st.one_of(
    st.sampled_from(ESCAPES),
    st.sampled_from(PIECES),
    st.text(max_size=12),
    st.text(alphabet=st.characters(max_codepoint=0x3000), max_size=30),
)
hostile_text = st.lists(chunks, max_size=60).map("".join)
# Occasionally one enormous line or block: long runs of one piece (kept cheap to generate).
huge_text = st.builds(lambda piece, n, tail: piece * n + tail, st.sampled_from(PIECES + ESCAPES + ["word ", "a"]),
                      st.integers(1000, 20_000), hostile_text)
any_text = st.one_of(hostile_text, hostile_text, hostile_text, huge_text)


# ---- sanitize, decode, clean_article ---------------------------------------------------------

@FAST
@given(any_text)
@example("a\x1b[31mred\x1b[0m b\x00c\x07")
@example("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ \x9b2J \x1bP+q\x1b\\")
def test_sanitize_leaves_no_control_characters(text):
    out = sanitize(text)
    assert not bad_chars(out) and "\x1b" not in out
    assert sanitize(out) == out  # idempotent: nothing left to strip


@FAST
@given(st.binary(max_size=400) | any_text.map(lambda t: t.encode("utf-8", "surrogatepass")))
@example(b"\xff\xfe\x00\x00a\x00\x00\x00")  # a UTF-32 BOM
@example(b"\xfe\xff\x00")  # a UTF-16 BOM and half a character
@example(b"a\x00b\x00c\x00d\x00e\x00f\x00")  # UTF-16 without a BOM
def test_decode_gives_text_or_a_reason(raw):
    try:
        text = decode(raw)
    except Unreadable as exc:
        assert str(exc)
        return
    assert isinstance(text, str)
    assert not bad_chars(sanitize(text))


@FAST
@given(st.text(max_size=200).filter(lambda t: not any(0xD800 <= ord(c) <= 0xDFFF for c in t)))
def test_utf16_with_bom_round_trips(text):
    # FF FE 00 00 opens UTF-32 too: UTF-16 text that starts with NUL is ambiguous (and not news).
    assume(not text.startswith("\x00"))
    assert decode(text.encode("utf-16")) == text
    assert decode(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == text


def test_utf32_and_utf16_byte_order_marks():
    assert decode(codecs.BOM_UTF32_LE + "ü 🎉".encode("utf-32-le")) == "ü 🎉"
    assert decode(codecs.BOM_UTF32_BE + "ü 🎉".encode("utf-32-be")) == "ü 🎉"
    assert decode(b"\xff\xfe\x00\x000\x00") == "\x000"  # not UTF-32 after all: UTF-16 starting with NUL
    with pytest.raises(Unreadable, match="UTF-16"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8")  # a lone surrogate


@FAST
@given(st.text(alphabet=st.characters(min_codepoint=0x80, max_codepoint=0x2FFFF, exclude_categories=("Cs",)), max_size=40))
def test_mojibake_repair_undoes_utf8_read_as_cp1252(text):
    # Build the mojibake a browser makes (cp1252, Latin-1 for its five holes) and repair it.
    misread = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))
    repaired = repair_mojibake(misread)
    # The sequences it is sure of: Latin letters, general punctuation, currency, ™, emoji.
    if all(0x80 <= ord(c) < 0x180 or 0x2000 <= ord(c) < 0x2140 or 0x1F000 <= ord(c) < 0x20000 for c in text):
        assert repaired == text
    assert isinstance(repaired, str)


@FAST
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ßäöüéèàâêîôûçñðåæøÉÈÀÇÑÖÜ\u00a0„“”«»‹›–—’‘…°±²³·¿¡©.,;:!?", max_size=200))
@example("„Straße“")
@example("« Il est passé\u00a0»")
@example("à«–")
def test_mojibake_repair_leaves_ordinary_text_alone(text):
    assume(not any(sig in text for sig in ("â€", "â‚", "âƒ", "â„")))  # the signatures of mojibake itself
    assert repair_mojibake(text) == text


@SLOW
@given(any_text)
@example("\x1b[2J[@click=app.quit]Title[/]\n\n“Quote” " + "word " * 5000 + ".")
@example("x" * 50_000)
def test_clean_article_gives_clean_paragraphs(text):
    article = clean_article(text, "prop")
    assert isinstance(article.title, str) and article.title and not bad_chars(article.title)
    assert "\n" not in article.title
    for i, p in enumerate(article.paragraphs, 1):
        assert p.n == i and isinstance(p.text, str) and p.text.strip() == p.text and p.text
        assert "\n" not in p.text and not bad_chars(p.text) and "\x1b" not in p.text
        assert len(p.text) <= MAX_PARAGRAPH_CHARS
        assert p.kind in ("text", "subhead")
    for value in (article.outlet, article.byline, article.date, article.dateline, *article.captions, *article.credits):
        assert value is None or (isinstance(value, str) and not bad_chars(value) and "\n" not in value)


@FAST
@given(st.dictionaries(st.sampled_from(["title", "outlet", "byline", "date"]), hostile_text, max_size=4))
def test_manifest_overrides_are_sanitised(overrides):
    article = clean_article("A headline\n\nThe council met on Tuesday to discuss the harbour and its plans for the year.", "m", overrides)
    for value in (article.title, article.outlet, article.byline, article.date):
        assert value is None or not bad_chars(value)


# ---- search ----------------------------------------------------------------------------------

CORPUS = {
    "a.txt": "Harbour reopens\n\nThe harbour reopened on Friday after a storm closed it for three days, officials said.\n\n"
             "“We are back to normal,” harbour master Ana Lima told reporters on the quay on Friday morning.\n",
    "b.txt": "Talks in Geneva\n\nNegotiations on missiles and the open-door policy went on in Geneva for seven hours, diplomats said.\n",
    "-rf.txt": "[@click=app.quit]Markup title[/]\n\nThe markup report quotes [link=file:///etc/passwd]a link[/link] and ends here today.\n",
}


@pytest.fixture(scope="module")
def briefing(tmp_path_factory):
    from briefing.index.engine import Briefing

    root = tmp_path_factory.mktemp("prop-corpus")
    for name, text in CORPUS.items():
        (root / name).write_text(text, encoding="utf-8")
    b = Briefing(root, index_dir=tmp_path_factory.mktemp("prop-ix"))
    b.open()
    yield b
    b.close()


QUERY_TOKENS = [
    "harbour", "Harbour", "storm", "negotiations", "nego*", "har*", "*", "?", "**", "h?rbour", "a*", '"', '"open door"',
    "(", ")", "[", "]", "{", "}", "[a TO z]", "TO", "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "and", "text:", "title:",
    "source:", "outlet:", "speaker:", "side:", "nofield:", "paragraph:", ":", "^", "^2", "~", "~2", "+", "-", "\\",
    "'", "’", "“", "”", "🎉", "東京", "é", "\x00", "\x1b", "\t", "\n", " ", "  ", "[@click=app.quit]", "[/]", "-rf",
]
queries = st.one_of(
    st.lists(st.sampled_from(QUERY_TOKENS), max_size=12).map(" ".join),
    st.lists(st.sampled_from(QUERY_TOKENS), max_size=12).map("".join),
    st.text(max_size=40),
    st.builds(lambda t, n: t * n, st.sampled_from(QUERY_TOKENS), st.integers(1, 1200)),
)


@settings(max_examples=250 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=queries)
@example(query="a" * 10_000)
@example(query="NOT")
@example(query='"a "b" c"')
def test_any_query_gives_hits_or_an_explanation(briefing, query):
    result = briefing.search(query)
    if result.error is not None:
        assert isinstance(result.error, str) and result.error and result.hits == []
        assert not bad_chars(result.error)
    else:
        assert result.total >= len(result.hits)
        for hit in result.hits:
            assert hit.source in {"a", "b", "-rf"}
            for start, end in hit.highlights:
                assert 0 <= start < end <= len(hit.text)


# ---- quotes ----------------------------------------------------------------------------------

@SLOW
@given(any_text)
@example("“Open “nested” quote,” said Ana Lima. “Unclosed. ‘Single’ and \"straight\" ones\" she added.")
@example("“" * 300 + " " + "”" * 300)
def test_quotes_are_exact_spans_of_their_paragraph(text):
    from briefing.index.quotes.extract import extract_quotes

    article = clean_article(text, "prop")
    assume(article.paragraphs)
    for quote in extract_quotes(article, Manifest()):
        paragraph = article.paragraph(quote.paragraph).text
        assert 0 <= quote.start < quote.end <= len(paragraph)
        assert paragraph[quote.start:quote.end] == quote.text
