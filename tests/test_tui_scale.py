"""A briefing of 10,000 sources stays instant: lists draw only the rows on screen."""

from __future__ import annotations

import time

try:
    from test_tui_fakes import env, fake_analysis, shared_cache, wait_loaded  # noqa: F401 - fixtures
except ImportError:  # tests/ made a package
    from tests.test_tui_fakes import env, fake_analysis, shared_cache, wait_loaded  # noqa: F401

from index.model import Article, Manifest, Paragraph, SearchResult, Side


class BigBriefing:
    """The engine's surface, in memory: 10,000 short articles."""

    def __init__(self, n: int):
        self.n = n
        self.manifest = Manifest(title="Ten thousand", sides=[Side("us", "United States"), Side("russia", "Russia")])
        self.articles: list[Article] = []
        self.report = None

    @property
    def title(self) -> str:
        return self.manifest.title

    def open(self):
        self.articles = [
            Article(
                id=f"{i:05d}", outlet=f"Outlet {i % 97}", title=f"Story number {i} about the talks", byline=None,
                date="2022-01-10", dateline=None, captions=[],
                paragraphs=[Paragraph(1, f"Paragraph one of story {i}, where Sherman said “{i} is the number we are firm on” today."),
                            Paragraph(2, "A second paragraph with more words in it.")],
            )
            for i in range(self.n)
        ]
        self._by_id = {a.id: a for a in self.articles}
        self.report = type("Report", (), {"messages": [], "skipped": [], "passages": 2 * self.n})()
        return self.report

    def article(self, article_id):
        return self._by_id[article_id]

    def search(self, query, limit=20, source=None):
        return SearchResult(query, [], 0)

    def analysis(self):
        return fake_analysis(self.articles, self.manifest, with_positions=False)

    def close(self):
        pass


async def test_ten_thousand_sources_stay_instant(env):
    from tui.app import BriefingApp

    app = BriefingApp(briefing_factory=lambda corpus: BigBriefing(10_000))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        sources = reader.sources
        assert sources.count == 10_000
        # filling the list again is setting a number, not measuring 10,000 rows
        started = time.perf_counter()
        sources.set_sources(reader.briefing.articles, {a.id: 1 for a in reader.briefing.articles})
        assert time.perf_counter() - started < 0.1
        started = time.perf_counter()
        await pilot.press("G")
        await pilot.press("k", "g", "end")
        elapsed = time.perf_counter() - started
        assert sources.cursor == 9_999
        assert reader.article_view.article.id == "09999"
        assert elapsed < 2.5, f"four keys took {elapsed:.2f}s"
        # only the rows on screen were drawn
        assert len(sources._cache) < 200
        assert reader.quotes_pane.quote_list.count == 10_000  # one utterance per story, virtual too
