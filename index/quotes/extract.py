"""Direct quotations of one article: where they are, what kind, who said them, for which side.

`extract_quotes` is per article and pure (it runs at index time). Cross-article work (one name
across outlets, one utterance across outlets, quotations an outlet printed without marks) is in
`briefing.index.quotes.analysis.analyse_quotes`; `briefing.index.quotes` is the front door to both.

The layers underneath, each usable alone:
    quote_marks.find_quote_spans(text)          where quotations open and close
    speech.find_speech_cues(text)               reporting verbs and their subject phrases
    speakers.parse_name_phrase / side_from_text names, roles, sides
    attribution.ArticleReader / speech_acts     "he" -> the person, reported speech with speakers
    quote_groups                                one utterance across outlets, unmarked speech
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefing.index.quotes.attribution import AttributedSpan, ArticleReader, Entity, attribute_article
from briefing.index.model import Article, Manifest
from briefing.index.quotes.marks import NON_QUOTE_KINDS, QuoteSpan
from briefing.index.quotes.speakers import side_from_text

FRAGMENT_WORDS = 3  # "transparency", "de-escalate", "frank and forthright": a term, not a statement


@dataclass(slots=True)
class Quote:
    id: str
    source: str
    paragraph: int
    start: int  # offsets of the quoted words in the paragraph text, marks excluded
    end: int
    text: str
    kind: str  # "statement" or "fragment"
    speaker: str | None  # canonical name, or None when no speaker can be recovered
    speaker_as_given: str | None  # the fullest form this article prints
    role: str | None
    side: str | None
    cue: str | None  # the reporting verb that attributes it, when its sentence has one
    marked: bool = True  # False: found by matching another outlet's quotation (printed unmarked)
    group: str | None = None
    via: str = "none"  # how the speaker was found: adjacent, before, after, carried, continued, none
    outlet: str | None = None
    # every form of the speaker's name this article prints (for the speaker: search field);
    # not part of the JSON or the cached record
    names: tuple[str, ...] = ()
    # "person", "org", "group" (people speaking as one), "role" (an office the article never
    # names), "description" (a source described but not named: "a Nevada Democrat"), or None;
    # in the JSON, not in the cached record (it is the record's entity kind)
    speaker_kind: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "speaker": self.speaker,
            "speaker_as_given": self.speaker_as_given,
            "speaker_kind": self.speaker_kind,
            "role": self.role,
            "side": self.side,
            "source": self.source,
            "outlet": self.outlet,
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "marked": self.marked,
            "cue": self.cue,
            "via": self.via,
            "group": self.group,
        }


def quote_kind(text: str) -> str:
    return "fragment" if len(text.split()) <= FRAGMENT_WORDS else "statement"


def quote_id(source: str, paragraph: int, start: int) -> str:
    return f"{source}:{paragraph}:{start}"


def _to_quote(article: Article, manifest: Manifest, item: AttributedSpan) -> tuple[Quote, Entity | None]:
    span, res = item.span, item.resolution
    text = article.paragraph(item.paragraph).text[span.start : span.end]
    entity = res.entity
    role = res.role or (entity.role if entity else None)
    if entity is not None:
        side = entity.side(manifest) or side_from_text(role, manifest)
    else:
        side = side_from_text(role, manifest)
    quote = Quote(
        id=quote_id(article.id, item.paragraph, span.start),
        source=article.id,
        paragraph=item.paragraph,
        start=span.start,
        end=span.end,
        text=text,
        kind=item.kind or quote_kind(text),
        speaker=entity.name if entity else None,
        speaker_as_given=entity.name if entity else None,
        role=role,
        side=side,
        cue=res.cue,
        marked=span.marked,
        via=res.via,
        outlet=article.outlet,
        names=tuple(sorted(entity.forms)) if entity is not None else (),
        speaker_kind=entity.kind if entity is not None else None,
    )
    return quote, entity


def read_article(
    article: Article, manifest: Manifest, extra: dict[int, list[QuoteSpan]] | None = None
) -> tuple[list[tuple[Quote, Entity | None]], ArticleReader]:
    """Quotations with the article-level entity behind each speaker (for cross-article merging)."""
    items, reader = attribute_article(article, manifest, extra)
    return [_to_quote(article, manifest, item) for item in items], reader


def is_quotation(quote: Quote) -> bool:
    """False for quotation marks that quote no one (titles of works, markup residue, nicknames)."""
    return quote.kind not in NON_QUOTE_KINDS


def extract_quotes(article: Article, manifest: Manifest, include_non_quotes: bool = False) -> list[Quote]:
    """Every direct quotation in the article's text paragraphs, attributed within the article.
    Titles, markup residue and nicknames in quote marks are left out unless asked for."""
    return [q for q, _ in read_article(article, manifest)[0] if include_non_quotes or is_quotation(q)]
