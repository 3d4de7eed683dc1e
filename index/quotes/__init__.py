"""Quotations: where they are, who said them, for which side, and one utterance across outlets.

The rooms, each usable alone: `marks` (where quotations open and close), `speech` (reporting
verbs and their subjects), `speakers` (name phrases, roles, sides), `attribution` (an article
read in order: pronouns, speech acts), `extract` (per-article quotes, pure, at index time),
`records` (their cached form), `groups` (one utterance across outlets, unmarked speech) and
`analysis` (the briefing-wide pass).
"""

from briefing.index.quotes.analysis import QuoteAnalysis, analyse_quotes
from briefing.index.quotes.extract import Quote, extract_quotes, read_article
from briefing.index.quotes.groups import QuoteGroup
from briefing.index.quotes.speakers import Speaker

__all__ = ["Quote", "QuoteAnalysis", "QuoteGroup", "Speaker", "analyse_quotes", "extract_quotes", "read_article"]
