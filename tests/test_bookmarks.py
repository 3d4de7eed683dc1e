"""Bookmarks: the store's API, re-anchoring after the article changes, exports, damaged and
read-only stores, and the `briefing bookmarks` command."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.index.bookmarks import anchoring
from briefing.index.bookmarks.store import (
    AnchoredBookmark,
    BookmarkError,
    BookmarkStore,
    UnknownBookmark,
    export_json,
    export_markdown,
    md_escape,
)
from briefing.index.locations import bookmarks_path
from briefing.index.model import Article, Paragraph

P1 = "American and Russian officials said they were far apart Monday following talks in Geneva."
P2 = (
    "Deputy Secretary of State Wendy Sherman told reporters the American delegation pushed back"
    " against demands by Moscow that are simply non-starters to the United States."
)
P3 = "Putin is also seeking guarantees that the US will not deploy forces or missile systems in Ukraine."
P4 = "Ryabkov added that the talks were difficult, long, very professional, deep and concrete."
PARAS = [P1, P2, P3, P4]


def make_article(paragraphs=PARAS, id="nyp-geneva", **extra) -> Article:
    body = "\n\n".join(paragraphs)
    fields = dict(
        id=id,
        outlet="New York Post",
        title="US, Russia meet",
        byline="Mark Moore",
        date="2022-01-11",
        dateline=None,
        captions=[],
        paragraphs=[Paragraph(i + 1, text) for i, text in enumerate(paragraphs)],
        sha256=hashlib.sha256(body.encode()).hexdigest(),
    )
    fields.update(extra)
    return Article(**fields)


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    return tmp_path / "corpus"


@pytest.fixture
def store_path(data_home, corpus_dir) -> Path:
    return bookmarks_path(corpus_dir)


@pytest.fixture
def store(store_path):
    opened, warning = BookmarkStore.open(store_path)
    assert warning is None
    yield opened
    opened.close()


def states(resolved: list[AnchoredBookmark]) -> list[str]:
    return [r.state for r in resolved]


def current_text(item: AnchoredBookmark, article: Article) -> str:
    return article.paragraph(item.paragraph).text[item.start : item.end]


# ---- the store's API ---------------------------------------------------------------------------


def test_store_lives_under_xdg_data_home(store, store_path, data_home):
    assert store_path.is_relative_to(data_home)
    assert store_path.exists() and store.can_save


def test_add_whole_paragraph_records_both_selectors(store):
    article = make_article()
    bm = store.add(article.id, 2, article, note="why it matters", tags=["nato", "geneva"])
    assert re.fullmatch(r"[0-9a-f]{8}", bm.id)
    assert (bm.source, bm.paragraph, bm.start, bm.end, bm.kind) == (article.id, 2, 0, len(P2), "paragraph")
    assert bm.text == P2
    # TextPositionSelector: offsets into the body (paragraphs joined by a blank line)
    assert article.body[bm.position_start : bm.position_end] == P2
    # TextQuoteSelector context: up to 32 characters either side, across the paragraph break
    assert bm.prefix == article.body[bm.position_start - 32 : bm.position_start]
    assert bm.suffix == article.body[bm.position_end : bm.position_end + 32]
    assert bm.prefix.endswith("Geneva.\n\n") and bm.suffix.startswith("\n\nPutin")
    assert bm.sha256 == article.sha256
    assert bm.tags == ("nato", "geneva") and bm.note == "why it matters"
    assert bm.created == bm.updated and bm.created.endswith("Z")
    assert store.list() == [bm]


def test_add_exact_subtext_is_a_selection(store):
    article = make_article()
    start = P4.index("difficult")
    end = P4.index("deep") + len("deep")
    bm = store.add(article.id, 4, article, start=start, end=end)
    assert bm.kind == "selection" and bm.text == "difficult, long, very professional, deep"
    assert article.body[bm.position_start : bm.position_end] == bm.text
    quote = store.add(article.id, 4, article, start=start, end=end, kind="quote")
    assert quote.kind == "quote"


def test_context_is_clipped_at_the_ends_of_the_body(store):
    article = make_article()
    first = store.add(article.id, 1, article)
    last = store.add(article.id, 4, article)
    assert first.prefix == "" and first.position_start == 0
    assert last.suffix == "" and last.position_end == len(article.body)


@pytest.mark.parametrize(
    "paragraph, start, end, message",
    [
        (0, None, None, "no paragraph 0"),
        (5, None, None, "no paragraph 5"),
        (2, 10, 5, "not a non-empty span"),
        (2, 0, 10_000, "not a non-empty span"),
        (2, 3, 3, "not a non-empty span"),
    ],
)
def test_add_rejects_what_is_not_in_the_article(store, paragraph, start, end, message):
    article = make_article()
    with pytest.raises(BookmarkError, match=message):
        store.add(article.id, paragraph, article, start=start, end=end)
    assert store.list() == []


def test_add_rejects_a_mismatched_article_and_unknown_kind(store):
    article = make_article()
    with pytest.raises(BookmarkError):
        store.add("someone-else", 1, article)
    with pytest.raises(BookmarkError, match="kind"):
        store.add(article.id, 1, article, kind="highlight")
    with pytest.raises(BookmarkError, match="tags"):
        store.add(article.id, 1, article, tags="nato")  # one string, not a list
    assert store.list() == []


def test_find_span_locates_exact_text_or_says_why_not():
    article = make_article()
    assert anchoring.find_span(article, 3, "missile systems") == (P3.index("missile"), P3.index("missile") + 15)
    with pytest.raises(anchoring.AnchorError, match="does not contain"):
        anchoring.find_span(article, 3, "Missile systems")  # exact: case matters
    with pytest.raises(anchoring.AnchorError, match="no paragraph 9"):
        anchoring.find_span(article, 9, "x")


def test_annotate_changes_only_what_is_given(store):
    article = make_article()
    bm = store.add(article.id, 1, article, note="first", tags=["a"])
    time.sleep(0.002)
    noted = store.annotate(bm.id, note="second")
    assert (noted.note, noted.tags) == ("second", ("a",))
    tagged = store.annotate(bm.id, tags=["b", "c"])
    assert (tagged.note, tagged.tags) == ("second", ("b", "c"))
    cleared = store.annotate(bm.id, note="", tags=[])
    assert (cleared.note, cleared.tags) == ("", ())
    assert cleared.created == bm.created and cleared.updated > bm.updated
    assert store.get(bm.id) == cleared
    with pytest.raises(UnknownBookmark):
        store.annotate("00000000", note="x")


def test_remove_returns_the_bookmark_and_restore_undoes_it(store):
    article = make_article()
    a = store.add(article.id, 1, article)
    b = store.add(article.id, 2, article, note="keep me", tags=["t"])
    c = store.add(article.id, 3, article)
    removed = store.remove(b.id)
    assert removed == b
    assert [x.id for x in store.list()] == [a.id, c.id]
    store.restore(removed)
    assert store.list() == [a, b, c]  # same id, same fields, back in its place
    store.restore(removed)  # undo pressed twice: harmless
    assert len(store) == 3
    with pytest.raises(UnknownBookmark) as info:
        store.remove("deadbeef")
    assert str(info.value) == "no bookmark 'deadbeef'"


def test_reopening_keeps_everything(store_path):
    article = make_article()
    first, _ = BookmarkStore.open(store_path)
    made = [
        first.add(article.id, 1, article, note="one"),
        first.add(article.id, 4, article, start=0, end=7, tags=["x", "y"]),
    ]
    first.annotate(made[0].id, note="one, revised")
    first.close()
    again, warning = BookmarkStore.open(store_path)
    assert warning is None
    listed = again.list()
    assert [b.id for b in listed] == [b.id for b in made]
    assert listed[0].note == "one, revised" and listed[1].tags == ("x", "y") and listed[1].text == "Ryabkov"
    again.close()


def test_untrusted_strings_are_stored_exactly(store_path):
    article = make_article()
    note = "[bold red]not markup[/]\x1b[31m'); DROP TABLE bookmarks;--\n*emph* <script>\u202e\U0001f600\x00end"
    tags = ["a,b", "[link=x]y[/link]", " spaced ", "#heading", ""]
    store, _ = BookmarkStore.open(store_path)
    bm = store.add(article.id, 1, article, note=note, tags=tags)
    store.close()
    store, _ = BookmarkStore.open(store_path)
    (back,) = store.list()
    assert back.note == note and list(back.tags) == tags and back.id == bm.id
    store.close()


def test_a_note_that_cannot_be_encoded_is_refused_cleanly(store):
    article = make_article()
    bm = store.add(article.id, 1, article)
    with pytest.raises(BookmarkError, match="cannot be saved"):
        store.annotate(bm.id, note="lone surrogate \udc80")
    assert store.get(bm.id).note == ""  # rolled back, store still usable
    store.annotate(bm.id, note="fine")


# ---- re-anchoring --------------------------------------------------------------------------------


def test_unchanged_article_is_anchored_without_any_search(store, monkeypatch):
    article = make_article()
    store.add(article.id, 2, article)
    store.add(article.id, 4, article, start=5, end=30)

    def forbidden(*args, **kwargs):
        raise AssertionError("an unchanged article must not be searched")

    monkeypatch.setattr(anchoring, "reanchor", forbidden)
    monkeypatch.setattr(anchoring, "_best_fuzzy", forbidden)
    monkeypatch.setattr(anchoring, "_best_exact", forbidden)
    resolved = store.resolve({article.id: article})
    assert states(resolved) == ["anchored", "anchored"]
    assert [(r.paragraph, r.start, r.end) for r in resolved] == [(2, 0, len(P2)), (4, 5, 30)]


def test_paragraph_inserted_before_means_moved(store):
    article = make_article()
    whole = store.add(article.id, 2, article)
    start = P3.index("missile")
    part = store.add(article.id, 3, article, start=start, end=start + len("missile systems"))
    edited = make_article(["A new opening paragraph was added by the editors.", *PARAS])
    resolved = store.resolve({edited.id: edited})
    assert states(resolved) == ["moved", "moved"]
    assert (resolved[0].paragraph, resolved[0].start, resolved[0].end) == (3, 0, len(P2))
    assert (resolved[1].paragraph, resolved[1].start) == (4, start)
    assert current_text(resolved[1], edited) == "missile systems"
    # the view moves; the stored selector does not
    assert [(b.paragraph, b.position_start) for b in store.list()] == [
        (whole.paragraph, whole.position_start),
        (part.paragraph, part.position_start),
    ]


def test_repeated_text_is_found_where_its_context_agrees(store):
    paragraphs = ["Talks began.", "“No.”", "Sherman pressed again on troops.", "“No.”", "Talks ended."]
    article = make_article(paragraphs)
    second = store.add(article.id, 4, article)  # the second “No.”, after the troops question
    edited = make_article(["Prologue.", *paragraphs])
    (resolved,) = store.resolve({edited.id: edited})
    assert resolved.state == "moved" and resolved.paragraph == 5
    assert second.prefix.endswith("troops.\n\n")


def test_slight_rewording_means_changed(store):
    article = make_article()
    store.add(article.id, 2, article)
    start = P4.index("difficult")
    store.add(article.id, 4, article, start=start, end=P4.index(" deep"))
    reworded = make_article(
        [
            P1,
            P2.replace("told reporters", "told journalists"),
            P3,
            P4.replace("very professional", "highly professional"),
        ]
    )
    whole, part = store.resolve({reworded.id: reworded})
    assert whole.state == "changed" and whole.paragraph == 2
    assert (whole.start, whole.end) == (0, len(reworded.paragraph(2).text))  # a paragraph bookmark shows the paragraph
    assert FUZZY_OK <= whole.score < 1
    assert part.state == "changed" and part.paragraph == 4
    assert current_text(part, reworded) == "difficult, long, highly professional,"


FUZZY_OK = anchoring.FUZZY_THRESHOLD


def test_rewording_plus_insertion_is_still_found(store):
    article = make_article()
    store.add(article.id, 3, article)
    edited = make_article([P1, "An inserted paragraph.", P2, P3.replace("also seeking", "also demanding"), P4])
    (item,) = store.resolve({edited.id: edited})
    assert item.state == "changed" and item.paragraph == 4


def test_rewritten_or_deleted_passages_are_orphaned_but_kept(store):
    article = make_article()
    gone = store.add(article.id, 3, article, note="was about missiles")
    rewritten = store.add(article.id, 4, article)
    edited = make_article([P1, P2, "Completely different words now stand where the quote once was, all of them new."])
    resolved = store.resolve({edited.id: edited})
    assert states(resolved) == ["orphaned", "orphaned"]
    assert [r.text for r in resolved] == [gone.text, rewritten.text]
    assert all(r.paragraph is None and r.start is None for r in resolved)
    assert len(store.list()) == 2  # resolving never drops anything


def test_article_removed_from_the_corpus_is_orphaned_with_its_text(store):
    article = make_article()
    bm = store.add(article.id, 1, article, note="n")
    (item,) = store.resolve({})
    assert item.state == "orphaned" and item.text == P1 and item.bookmark == bm
    listed = item.to_json()
    assert listed["state"] == "orphaned" and listed["text"] == P1 and listed["paragraph"] == 1
    assert listed["current"] is None
    md = export_markdown([item], {})
    assert "> American and Russian officials" in md and "New York Post" in md  # cited from the snapshot
    assert "no longer found" in md


def test_moved_within_the_same_paragraph(store):
    article = make_article()
    start = P3.index("guarantees")
    store.add(article.id, 3, article, start=start, end=start + len("guarantees"))
    edited = make_article([P1, P2, "Crucially, " + P3, P4])
    (item,) = store.resolve({edited.id: edited})
    assert item.state == "moved" and item.paragraph == 3 and item.start == start + len("Crucially, ")


def test_resolving_many_bookmarks_on_a_changed_article(store):
    paragraphs = [f"Paragraph {i}: " + " ".join(f"word{i * 100 + j}" for j in range(60)) for i in range(40)]
    article = make_article(paragraphs)
    for i in range(60):
        n = i % 40 + 1
        store.add(article.id, n, article, start=12, end=80) if i % 2 else store.add(article.id, n, article)
    edited = make_article(["Inserted."] + [p.replace("word", "w0rd", 1) for p in paragraphs])
    resolved = store.resolve({edited.id: edited})
    assert set(states(resolved)) <= {"moved", "changed"} and "changed" in states(resolved)
    assert all(r.paragraph == r.bookmark.paragraph + 1 for r in resolved)
    assert len(resolved) == 60


@settings(max_examples=200, deadline=None)
@given(pattern=st.text("abc", min_size=1, max_size=8), text=st.text("abcd", max_size=14), anchored=st.booleans())
def test_myers_edit_distances_match_the_textbook_table(pattern, text, anchored):
    m = len(pattern)
    prev = list(range(m + 1))
    expected = []
    for j, ch in enumerate(text):
        cur = [j + 1 if anchored else 0]
        for i in range(1, m + 1):
            cur.append(min(prev[i] + 1, cur[i - 1] + 1, prev[i - 1] + (pattern[i - 1] != ch)))
        expected.append(cur[m])
        prev = cur
    assert anchoring._myers(pattern, text, anchored) == expected


_word = st.text(st.characters(codec="utf-8", categories=["L", "N"]), min_size=1, max_size=6)
_paragraph = st.lists(_word, min_size=1, max_size=8).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(_paragraph, min_size=1, max_size=5), data=st.data())
def test_exact_states_always_point_at_the_saved_text(paragraphs, data):
    article = make_article(paragraphs)
    n = data.draw(st.integers(1, len(paragraphs)))
    length = len(paragraphs[n - 1])
    start = data.draw(st.integers(0, length - 1))
    end = data.draw(st.integers(start + 1, length))
    store = BookmarkStore.in_memory()
    store.add(article.id, n, article, start=start, end=end)
    at = data.draw(st.integers(0, len(paragraphs)))
    edited = make_article(paragraphs[:at] + ["inserted words"] + paragraphs[at:])
    for version in (article, edited):
        (item,) = store.resolve({version.id: version})
        assert item.state in ("anchored", "moved")
        assert current_text(item, version) == paragraphs[n - 1][start:end]
    (item,) = store.resolve({article.id: article})
    assert (item.state, item.paragraph, item.start, item.end) == ("anchored", n, start, end)


# ---- exports ---------------------------------------------------------------------------------------


def test_export_markdown_quotes_cites_and_escapes(store):
    article = make_article()
    store.add(article.id, 2, article, note="Note with *stars* and <b>html</b>", tags=["nato", "_x_"])
    start = P3.index("missile")
    store.add(article.id, 3, article, start=start, end=start + 15)
    md = store.export_markdown(store.resolve({article.id: article}), {article.id: article})
    assert md.startswith("# Bookmarks\n")
    assert f"> {P2}" in md and "> missile systems" in md
    assert "*New York Post*, “US, Russia meet”, 2022-01-11, paragraph 2 (nyp-geneva)" in md
    assert "paragraph 3" in md
    assert r"**Note:** Note with \*stars\* and \<b>html\</b>" in md
    assert r"**Tags:** nato, \_x\_" in md
    assert md.count("\n---\n") == 1  # one separator between two bookmarks


def test_md_escape_leaves_nothing_markdown_could_act_on():
    assert md_escape("# not a heading") == r"\# not a heading"
    assert md_escape("1. not a list") == r"1\. not a list"
    assert md_escape("- not a bullet") == r"\- not a bullet"
    assert md_escape("[link](http://x)") == r"\[link\](http://x)"
    assert md_escape("AT&T &amp; co") == r"AT&T \&amp; co"
    assert md_escape("esc\x1b[31m") == "esc\ufffd\\[31m"
    assert md_escape("plain words, 2022.") == "plain words, 2022."


def test_export_json_is_w3c_web_annotation(store):
    article = make_article()
    bm = store.add(article.id, 4, article, start=0, end=7, note="who said it", tags=["russia", "quotes"])
    plain = store.add(article.id, 1, article)
    (annotation, bare) = store.export_json(store.resolve({article.id: article}), {article.id: article})
    json.dumps(annotation)  # serialisable as is
    assert annotation["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert annotation["type"] == "Annotation" and bm.id in annotation["id"]
    assert annotation["created"] == bm.created
    assert {"type": "TextualBody", "value": "who said it", "format": "text/plain", "purpose": "commenting"} in annotation["body"]
    tags = [b["value"] for b in annotation["body"] if b.get("purpose") == "tagging"]
    assert tags == ["russia", "quotes"]
    target = annotation["target"]
    assert target["source"] == article.id
    quote = next(s for s in target["selector"] if s["type"] == "TextQuoteSelector")
    position = next(s for s in target["selector"] if s["type"] == "TextPositionSelector")
    assert quote == {"type": "TextQuoteSelector", "exact": "Ryabkov", "prefix": bm.prefix, "suffix": bm.suffix}
    assert article.body[position["start"] : position["end"]] == "Ryabkov"
    assert annotation["briefing"]["state"] == "anchored"
    assert "body" not in bare and bare["target"]["selector"][0]["exact"] == plain.text


def test_listing_json_has_the_documented_fields(store):
    article = make_article()
    store.add(article.id, 2, article, note="n", tags=["t"])
    (item,) = store.resolve({article.id: article})
    data = item.to_json()
    assert set(data) >= {"id", "source", "paragraph", "text", "note", "tags", "created", "state"}
    assert data["tags"] == ["t"] and data["state"] == "anchored" and data["paragraph"] == 2


def test_export_of_nothing():
    assert export_markdown([], {}) == "# Bookmarks\n\nNo bookmarks.\n"
    assert export_json([], {}) == []


# ---- damaged, foreign, newer and read-only stores --------------------------------------------------


DAMAGED_NAME = re.compile(r"\.damaged-\d{8}T\d{6}Z(-\d+)?$")


def test_garbage_store_is_moved_aside_intact_and_replaced(store_path):
    store_path.parent.mkdir(parents=True)
    garbage = os.urandom(4096) + b"definitely not sqlite"
    store_path.write_bytes(garbage)
    store, warning = BookmarkStore.open(store_path)
    assert warning is not None and warning.kind == "damaged"
    moved = warning.moved_to
    assert moved.parent == store_path.parent and moved.name.startswith(store_path.name)
    assert DAMAGED_NAME.search(moved.name)
    assert moved.read_bytes() == garbage  # the old bytes, untouched
    assert str(moved) in str(warning) and "\n" not in str(warning)
    assert store.can_save and store.list() == []
    article = make_article()
    store.add(article.id, 1, article)  # the fresh store works
    store.close()
    again, second = BookmarkStore.open(store_path)
    assert second is None and len(again) == 1
    again.close()


def test_moving_aside_never_overwrites_an_earlier_damaged_copy(store_path):
    store_path.parent.mkdir(parents=True)
    copies = []
    for i in range(3):
        store_path.write_bytes(f"garbage number {i}".encode() * 100)
        store, warning = BookmarkStore.open(store_path)
        store.close()
        copies.append(warning.moved_to)
    assert len(set(copies)) == 3
    assert [c.read_bytes() for c in copies] == [f"garbage number {i}".encode() * 100 for i in range(3)]


def _store_with_rows(path: Path, rows: int = 40) -> None:
    article = make_article([f"Paragraph {i} " + "with words " * 30 for i in range(20)])
    store, _ = BookmarkStore.open(path)
    for i in range(rows):
        store.add(article.id, i % 20 + 1, article, note=f"note {i} " * 80)
    store.close()
    assert path.stat().st_size >= 6 * 4096  # several pages, so the damage below hits real data


def test_corrupted_pages_are_detected_and_moved_aside(store_path):
    _store_with_rows(store_path)
    data = bytearray(store_path.read_bytes())
    data[4096 * 2 : 4096 * 2 + 1500] = os.urandom(1500)  # smash a b-tree page
    store_path.write_bytes(bytes(data))
    store, warning = BookmarkStore.open(store_path)
    assert warning is not None and warning.kind == "damaged"
    assert warning.moved_to.read_bytes() == bytes(data)
    assert store.list() == []
    store.close()


def test_truncated_store_is_moved_aside(store_path):
    _store_with_rows(store_path)
    data = store_path.read_bytes()[:8192 + 100]
    store_path.write_bytes(data)
    store, warning = BookmarkStore.open(store_path)
    assert warning is not None and warning.kind == "damaged" and warning.moved_to.read_bytes() == data
    store.close()


def test_a_foreign_sqlite_file_is_moved_aside_untouched(store_path):
    store_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(store_path)
    conn.execute("CREATE TABLE something_else (x)")
    conn.execute("INSERT INTO something_else VALUES (42)")
    conn.commit()
    conn.close()
    before = store_path.read_bytes()
    store, warning = BookmarkStore.open(store_path)
    assert warning.kind == "damaged" and warning.moved_to.read_bytes() == before
    store.close()


def test_an_empty_file_is_simply_a_new_store(store_path):
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(b"")
    store, warning = BookmarkStore.open(store_path)
    assert warning is None and store.can_save
    store.close()


def test_a_newer_schema_is_opened_read_only_and_left_alone(store_path):
    article = make_article()
    store, _ = BookmarkStore.open(store_path)
    bm = store.add(article.id, 1, article)
    store.close()
    conn = sqlite3.connect(store_path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = store_path.read_bytes()
    store, warning = BookmarkStore.open(store_path)
    assert warning.kind == "newer" and not store.can_save and "newer version" in str(warning)
    assert [b.id for b in store.list()] == [bm.id]
    store.add(article.id, 2, article)  # works for the session, in memory
    store.close()
    assert store_path.read_bytes() == before
    assert not list(store_path.parent.glob("*.damaged-*"))


def test_unwritable_data_dir_gives_a_session_only_store(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data dir should be")
    store, warning = BookmarkStore.open(blocker / "bookmarks" / "x.sqlite3")
    assert warning is not None and warning.kind == "read-only" and not store.can_save
    assert "cannot be saved" in str(warning)
    article = make_article()
    bm = store.add(article.id, 1, article)  # usable for the session, nothing crashes
    assert store.list() == [bm]
    store.close()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_data_dir_shows_saved_bookmarks_and_refuses_to_save(store_path):
    article = make_article()
    store, _ = BookmarkStore.open(store_path)
    bm = store.add(article.id, 1, article)
    store.close()
    directory = store_path.parent
    store_path.chmod(0o444)
    directory.chmod(0o555)
    try:
        store, warning = BookmarkStore.open(store_path)
        assert warning.kind == "read-only" and not store.can_save
        assert [b.id for b in store.list()] == [bm.id]
        store.close()
    finally:
        directory.chmod(0o755)
        store_path.chmod(0o644)


def test_session_only_store_when_the_file_cannot_be_opened(store_path, monkeypatch):
    """However the read-write open fails (permissions, I/O), the reader gets a store and a message."""
    article = make_article()
    store, _ = BookmarkStore.open(store_path)
    bm = store.add(article.id, 1, article)
    store.close()
    import briefing.index.bookmarks.store as module

    def refuse(path):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(module, "_open_rw", refuse)
    store, warning = BookmarkStore.open(store_path)
    assert warning.kind == "read-only" and "readonly database" in str(warning) and not store.can_save
    assert [b.id for b in store.list()] == [bm.id]
    store.close()


# ---- the `briefing bookmarks` command ----------------------------------------------------------------


class FakeBriefing:
    """The slice of the engine the command uses: `.root`, `.articles`, `.find_article`."""

    def __init__(self, root: Path, articles: list[Article]):
        self.root = root
        self.articles = articles

    def find_article(self, ref: str) -> Article:
        for article in self.articles:
            if article.id == ref:
                return article
        raise KeyError(f"unknown source '{ref}' (try `briefing sources`)")


@pytest.fixture
def cli(monkeypatch, capsys, corpus_dir, data_home):
    """Run `briefing ...` through the real entry point against two small articles."""
    import briefing.tui.cli
    import briefing.tui.cli.output

    engine = FakeBriefing(corpus_dir, [make_article(), make_article([P3, P4], id="reuters-2", outlet="Reuters")])
    monkeypatch.setattr(briefing.tui.cli.output, "open_briefing", lambda args, **kw: engine)

    def run(*argv: str) -> tuple[int, str, str]:
        code = briefing.tui.cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    run.engine = engine
    return run


def test_cli_add_list_remove(cli, store_path):
    code, out, err = cli("bookmarks", "add", "nyp-geneva", "--paragraph", "2", "--note", "key line", "--tag", "nato", "--tag", "us")
    assert code == 0 and err == "" and "Bookmarked nyp-geneva ¶2 as " in out
    bookmark_id = re.search(r" as ([0-9a-f]{8})", out).group(1)
    code, out, _ = cli("bookmarks", "--json")
    (row,) = json.loads(out)
    assert code == 0 and row["id"] == bookmark_id and row["state"] == "anchored"
    assert (row["source"], row["paragraph"], row["text"], row["note"], row["tags"]) == ("nyp-geneva", 2, P2, "key line", ["nato", "us"])
    assert row["created"].endswith("Z")
    code, out, _ = cli("bookmarks")
    assert code == 0 and bookmark_id in out and "anchored" in out and "key line" in out
    code, out, _ = cli("bookmarks", "remove", bookmark_id)
    assert code == 0 and f"Removed bookmark {bookmark_id}" in out
    assert json.loads(cli("bookmarks", "list", "--json")[1]) == []
    assert "No bookmarks yet" in cli("bookmarks")[1]


def test_cli_add_exact_text(cli):
    code, out, _ = cli("bookmarks", "add", "reuters-2", "-p", "2", "--text", "very professional", "--json")
    data = json.loads(out)
    assert code == 0 and data["kind"] == "selection" and data["text"] == "very professional"
    assert data["start"] == P4.index("very professional")


@pytest.mark.parametrize(
    "argv, message",
    [
        (("add", "nope", "-p", "1"), "unknown source 'nope'"),
        (("add", "nyp-geneva", "-p", "9"), "nyp-geneva has no paragraph 9 (it has 4)"),
        (("add", "nyp-geneva", "-p", "0"), "has no paragraph 0"),
        (("add", "nyp-geneva", "-p", "1", "--text", "not in there"), "paragraph 1 does not contain that text"),
        (("remove", "0badf00d"), "no bookmark '0badf00d'"),
    ],
)
def test_cli_errors_are_one_line_on_stderr(cli, argv, message):
    code, out, err = cli("bookmarks", *argv)
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and err.startswith("briefing: ") and message in err
    assert json.loads(cli("bookmarks", "--json")[1]) == []  # nothing half-saved


def test_cli_prints_untrusted_text_literally(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # no folding inside table cells
    note = "[bold red]markup?[/bold red] \x1b[2J\x1b[31mescape \u202eevil"
    cli("bookmarks", "add", "nyp-geneva", "-p", "1", "--note", note, "--tag", "[link=http://x]t[/link]")
    code, out, _ = cli("bookmarks")
    assert code == 0
    assert "[bold red]markup?[/bold red]" in out and "[link=http://x]t[/link]" in out
    assert "\x1b" not in out and "\u202e" not in out
    (row,) = json.loads(cli("bookmarks", "--json")[1])
    assert row["note"] == note  # JSON carries the exact string


def test_cli_lists_moved_and_orphaned(cli):
    cli("bookmarks", "add", "nyp-geneva", "-p", "3")
    cli("bookmarks", "add", "reuters-2", "-p", "1")
    engine = cli.engine
    engine.articles = [make_article(["New first paragraph.", *PARAS])]  # reuters-2 is gone
    rows = json.loads(cli("bookmarks", "--json")[1])
    assert [(r["source"], r["state"], r["paragraph"], r["saved_paragraph"]) for r in rows] == [
        ("nyp-geneva", "moved", 4, 3),
        ("reuters-2", "orphaned", 1, 1),
    ]
    code, out, _ = cli("bookmarks")
    assert code == 0 and "4 (was" in out and "1 (saved)" in out and "orphaned" in out


def test_cli_export_writes_files_atomically(cli, tmp_path):
    cli("bookmarks", "add", "nyp-geneva", "-p", "2", "--note", "n", "--tag", "t")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    md_file, json_file = out_dir / "b.md", out_dir / "b.json"
    json_file.write_text("old contents")
    json_file.chmod(0o640)
    code, out, err = cli("bookmarks", "export", "--format", "md", "-o", str(md_file))
    assert code == 0 and out == "" and "exported 1 bookmark to" in err
    assert md_file.read_text().startswith("# Bookmarks") and f"> {P2}" in md_file.read_text()
    code, _, _ = cli("bookmarks", "export", "--format", "json", "-o", str(json_file))
    (annotation,) = json.loads(json_file.read_text())
    assert code == 0 and annotation["type"] == "Annotation"
    assert json_file.stat().st_mode & 0o777 == 0o640  # replacing a file keeps its permissions
    assert sorted(p.name for p in out_dir.iterdir()) == ["b.json", "b.md"]  # no temp files left
    code, out, _ = cli("bookmarks", "export", "--format", "json")
    assert code == 0 and json.loads(out)[0]["target"]["source"] == "nyp-geneva"
    code, _, err = cli("bookmarks", "export", "-o", str(tmp_path / "missing-dir" / "x.md"))
    assert code != 0 and err.startswith("briefing: cannot write") and err.count("\n") == 1


def test_cli_warns_on_stderr_when_the_store_was_damaged(cli, store_path):
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(b"\x00garbage" * 100)
    code, out, err = cli("bookmarks", "--json")
    assert code == 0 and json.loads(out) == []
    assert "damaged-" in err and "warning" in err
    (moved,) = store_path.parent.glob("*.damaged-*")
    assert moved.read_bytes() == b"\x00garbage" * 100


def test_cli_refuses_to_add_when_nothing_can_be_saved(cli, monkeypatch, tmp_path):
    import briefing.index.locations

    blocker = tmp_path / "blocked"
    blocker.write_text("not a directory")
    monkeypatch.setattr(briefing.index.locations, "bookmarks_path", lambda corpus: blocker / "x.sqlite3")
    code, out, err = cli("bookmarks", "add", "nyp-geneva", "-p", "1")
    assert code != 0 and out == ""
    assert "warning" in err and "bookmark not saved" in err


def test_cli_options_before_the_action_are_kept():
    from briefing.tui.cli import build_parser

    args = build_parser().parse_args(["bookmarks", "--corpus", "X", "--json", "add", "src", "-p", "3", "--tag", "a"])
    assert (args.corpus, args.json, args.bookmarks_command, args.source, args.paragraph, args.tag) == ("X", True, "add", "src", 3, ["a"])
    args = build_parser().parse_args(["bookmarks", "export", "--corpus", "Y", "-f", "json"])
    assert (args.corpus, args.format, args.output) == ("Y", "json", None)


def test_bundled_articles_survive_an_editorial_pass(bundled_articles):
    """Real cleaned articles: bookmark every paragraph (and a phrase inside it), then insert an
    editor's note, reword every paragraph slightly and delete one. Each bookmark must land on the
    paragraph it came from, unless that paragraph was deleted; exact states point at the text."""
    store = BookmarkStore.in_memory()
    for article in bundled_articles.values():
        for p in article.paragraphs:
            store.add(article.id, p.n, article)
            if len(p.text) > 60:
                store.add(article.id, p.n, article, start=20, end=50)
    deleted = 5  # original paragraph number removed in every article

    def edited(article: Article) -> Article:
        texts = [p.text.replace(" the ", " a ", 1) for p in article.paragraphs]
        del texts[deleted - 1]
        return make_article(["An editor's note was added here.", *texts], id=article.id)

    def expected(n: int) -> int | None:
        return None if n == deleted else (n + 1 if n < deleted else n)

    changed = {article_id: edited(article) for article_id, article in bundled_articles.items()}
    resolved = store.resolve(changed)
    assert len(resolved) == len(store.list()) > 100
    for item in resolved:
        want = expected(item.bookmark.paragraph)
        if want is None:
            assert item.state == "orphaned", item
            continue
        assert item.state in ("anchored", "moved", "changed") and item.paragraph == want, item
        if item.state != "changed":
            assert current_text(item, changed[item.source]) == item.text


def test_cli_export_filters_by_tag_and_by_source(cli):
    cli("bookmarks", "add", "nyp-geneva", "-p", "1", "--tag", "Sanctions")
    cli("bookmarks", "add", "nyp-geneva", "-p", "2", "--tag", "talks")
    cli("bookmarks", "add", "reuters-2", "-p", "1", "--tag", "sanctions")

    by_tag = json.loads(cli("bookmarks", "export", "--format", "json", "--tag", "sanctions")[1])
    assert len(by_tag) == 2  # tags match whatever their case
    by_source = json.loads(cli("bookmarks", "export", "--format", "json", "--source", "Reuters")[1])
    assert len(by_source) == 1 and "reuters-2" in json.dumps(by_source)
    both = json.loads(cli("bookmarks", "export", "--format", "json", "--tag", "sanctions", "--source", "nyp")[1])
    assert len(both) == 1 and "nyp-geneva" in json.dumps(both)
    md = cli("bookmarks", "export", "--tag", "talks")[1]
    assert f"> {P2}" in md and f"> {P1}" not in md
    code, out, err = cli("bookmarks", "export", "--tag", "nothing-like-it")
    assert code != 0 and out == "" and "the tags are Sanctions, sanctions, talks" in err
    code, out, err = cli("bookmarks", "export", "--source", "mars-gazette")
    assert code != 0 and "unknown source 'mars-gazette'" in err
