"""Ctrl+P: commands built from what is open now — sources, speakers, sides, issues, bookmarks and
actions.

The palette renders a plain `str` prompt or help as markup, and its matcher highlights a `str`
by parsing it as markup too. Titles and names come from articles, so every prompt here is a
`Content` highlighted by our own code, and help text is escaped.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Iterator, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from briefing.tui.bookmarks import shorten, state_text, where

if TYPE_CHECKING:
    from briefing.tui.app import BriefingApp

MAX_DISCOVERY_SOURCES = 30  # of sources, and of bookmarks: the empty palette lists a few; typing searches all


class BriefingCommands(Provider):
    """Sources, speakers, sides, issues and reader actions, from the app's current state."""

    @property
    def briefing_app(self) -> "BriefingApp":
        return cast("BriefingApp", self.app)

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        """(prompt, help, callback) for everything the palette can do now."""
        reader = self.briefing_app.reader
        yield "Search the briefing", "Open the search field (/)", reader.action_search
        yield "Quotes: group by speaker / by utterance", "Toggle the grouping of the quotes pane (s)", self._toggle_grouping
        yield "Help: keys", "Every key, from the live bindings (?)", self.briefing_app.action_help
        yield "Bookmarks", "Every bookmarked passage: filter, open, annotate, copy, delete (B)", reader.action_bookmarks
        yield "Compare the outlets", "Where they disagree: facts, quote wording, echoes, names (c)", reader.action_compare
        b = reader.briefing
        if b is None:
            return
        shelf = reader.bookmarks
        if shelf is not None:
            for item in shelf:
                bm = item.bookmark
                words = shorten(bm.note or bm.text, 60)
                yield (
                    f"Bookmark: {shelf.outlet(item)} {where(item)} — {words}",
                    f"{state_text(item)} · {shelf.title(item)}" + (f" · tags: {', '.join(bm.tags)}" if bm.tags else ""),
                    partial(reader.open_bookmark, item.id),
                )
        for i, article in enumerate(b.articles):
            prompt = f"Source: {article.outlet or 'unknown outlet'} — {article.title}"
            state, progress = reader.read_state(article.id)
            mark = f" · {state}" + (f" at {progress}" if progress else "") if state else ""
            yield prompt, f"{article.date or 'undated'} · {article.id}{mark}", partial(reader.open_source, article.id)
        analysis = reader.analysis
        manifest = getattr(reader, "analysis_manifest", None) or b.manifest  # with inferred sides
        if analysis is not None:
            for speaker in analysis.speakers:
                side = manifest.side_label(speaker.side) or "side unknown"
                yield (
                    f"Quotes by {speaker.name}",
                    f"{speaker.role or 'role unknown'} · {side}",
                    partial(reader.filter_quotes, speaker=speaker.name),
                )
                if getattr(reader, "evidence_of", None) is not None:
                    yield (
                        f"Evidence: {speaker.name}",
                        f"The words that put {speaker.name} on a side ({side})",
                        partial(reader.show_evidence, speaker.name),
                    )
            for side in manifest.sides:
                kind = " (inferred from the text)" if getattr(side, "inferred", False) else ""
                yield f"Quotes from {side.label}", f"Only quotes from the {side.label} side{kind}", partial(reader.filter_quotes, side=side.id)
            yield "Quotes: clear the filters", "Show every quote", partial(reader.filter_quotes, speaker=None, side=None, outlet=None)
        comparison = reader.comparison
        if comparison is not None:
            for item in comparison.of("discrepancy"):
                yield (
                    f"Discrepancy: {item.about}",
                    shorten(item.summary, 100),
                    partial(reader.action_compare, item.id),
                )
        positions = reader.positions_pane.positions
        # the manifest's issues, else those discovered from the statements
        issues = list(b.manifest.issues) or [i for i in getattr(positions, "issues", ()) if getattr(i, "inferred", False)]
        for issue in issues:
            help_text = getattr(issue, "description", "") or "What each side says on this issue"
            yield f"Positions: {issue.label}", help_text, partial(reader.open_issue, issue.id)

    def _toggle_grouping(self) -> None:
        reader = self.briefing_app.reader
        reader.active = "quotes"
        reader.quotes_pane.action_toggle_grouping()

    async def discover(self) -> Hits:
        counts = {"Source: ": 0, "Bookmark: ": 0, "Discrepancy: ": 0}
        for prompt, help_text, callback in self._commands():
            kind = next((k for k in counts if prompt.startswith(k)), None)
            if kind is not None:
                counts[kind] += 1
                if counts[kind] > MAX_DISCOVERY_SOURCES:
                    continue
            yield DiscoveryHit(Content(prompt), callback, text=prompt, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for prompt, help_text, callback in self._commands():
            score = matcher.match(prompt)
            if score > 0:
                yield Hit(score, highlight(matcher, prompt), callback, text=prompt, help=escape(help_text))


def highlight(matcher: Any, text: str) -> Content:
    """The matched letters of `text` in bold: `Matcher.highlight` would parse `text` as markup."""
    content = Content(text)
    try:
        score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    except Exception:  # noqa: BLE001 - highlighting is a nicety
        return content
    if not score:
        return content
    style = matcher.match_style
    for offset in offsets:
        if offset < len(text) and not text[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content
