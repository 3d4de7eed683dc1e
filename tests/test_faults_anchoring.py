"""Issue 18, items 14, 15, 18: re-anchoring checks the quote and its context before the saved
position; a bookmark whose context is gone is orphaned (cited from its snapshot); a short passage
never fuzzy-matches an unrelated one."""

from __future__ import annotations

import hashlib

from briefing.index.bookmarks.store import BookmarkStore, export_json, export_markdown, resolve
from briefing.index.model import Article, Paragraph


def article(paragraphs: list[str], id: str = "story", title: str = "Talks in Geneva", date: str = "2022-01-10",
            outlet: str = "Wire") -> Article:
    body = "\n\n".join(paragraphs)
    return Article(
        id=id, outlet=outlet, title=title, byline=None, date=date, dateline=None, captions=[],
        paragraphs=[Paragraph(i + 1, t) for i, t in enumerate(paragraphs)],
        sha256=hashlib.sha256(body.encode()).hexdigest(),
    )


def test_swapped_paragraphs_follow_the_context_not_the_number():
    """Two paragraphs open with the same words; bookmarked in ¶2, then ¶2 and ¶3 swap places:
    the passage is the one whose context matches (now ¶3), reported moved, not anchored at ¶2."""
    first = "The delegations met for eight hours."
    a = "The talks ended without agreement. Ryabkov said Moscow wants guarantees in writing."
    b = "The talks ended without agreement. Sherman said NATO's door stays open to new members."
    last = "Both sides promised to talk again next week in Brussels."
    store = BookmarkStore.in_memory()
    before = article([first, a, b, last])
    bm = store.add("story", 2, before, start=0, end=len("The talks ended without agreement."), kind="selection")
    after = article([first, b, a, last])
    [item] = resolve([bm], {"story": after})
    assert (item.state, item.paragraph) == ("moved", 3)
    assert after.paragraphs[2].text[item.start:item.end] == bm.text


def test_unchanged_context_at_the_saved_place_is_anchored():
    paras = ["Alpha one two three.", "Beta four five six.", "Gamma seven eight nine."]
    store = BookmarkStore.in_memory()
    bm = store.add("story", 2, article(paras))
    edited = article(paras + ["A new closing paragraph was added."])
    [item] = resolve([bm], {"story": edited})
    assert (item.state, item.paragraph) == ("anchored", 2)


def test_short_deleted_passage_is_orphaned_not_matched_to_a_lookalike():
    paras = [f"P{i} said." for i in range(1, 21)]
    store = BookmarkStore.in_memory()
    bm = store.add("story", 9, article(paras))
    gone = article(paras[:8] + paras[9:])
    [item] = resolve([bm], {"story": gone})
    assert item.state == "orphaned" and item.paragraph is None


def test_long_edited_passage_is_still_found_as_changed():
    p = "Deputy Secretary of State Wendy Sherman told reporters the American delegation pushed back firmly."
    paras = ["Opening words of the report.", p, "Closing words of the report."]
    store = BookmarkStore.in_memory()
    bm = store.add("story", 2, article(paras))
    edited = article(["Opening words of the report.", p.replace("firmly", "hard"), "Closing words of the report."])
    [item] = resolve([bm], {"story": edited})
    assert (item.state, item.paragraph) == ("changed", 2)


def test_article_replaced_by_another_is_orphaned_and_cited_from_the_snapshot():
    """Same file name, a different article that shares a templated sentence: the saved passage's
    context is gone, so it is orphaned and cited with the saved outlet, title and date."""
    shared = ("The meeting in Geneva on Monday lasted nearly eight hours, officials said afterwards, and both"
              " delegations described the exchange as frank, professional and useful, though no agreement was"
              " reached on any of the main questions put on the table.")
    old = article(["Sherman spoke to reporters after the session.", shared, "Russia repeated its demands."],
                  title="US and Russia far apart", date="2022-01-10", outlet="Wire")
    store = BookmarkStore.in_memory()
    bm = store.add("story", 2, old)
    new = article(["A recipe for lemon cake, with fresh eggs.", shared.replace("Monday", "Tuesday"),
                   "Bake it for forty minutes."], title="Lemon cake", date="2023-05-01", outlet="Kitchen")
    [item] = resolve([bm], {"story": new})
    assert item.state == "orphaned"
    md = export_markdown([item], {"story": new})
    assert "US and Russia far apart" in md and "2022-01-10" in md and "Lemon cake" not in md
    [annotation] = export_json([item], {"story": new})
    assert annotation["briefing"]["title"] == "US and Russia far apart"
    assert annotation["briefing"]["date"] == "2022-01-10"
