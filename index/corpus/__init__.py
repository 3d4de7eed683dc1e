"""A corpus directory in, clean articles out: `scan` (files and their checks, the manifest),
`reading` (bytes to text, safely), `cleaning` (a web paste to an Article with numbered paragraphs).
"""

from briefing.index.corpus.scan import Corpus, CorpusError, load_corpus

__all__ = ["Corpus", "CorpusError", "load_corpus"]
