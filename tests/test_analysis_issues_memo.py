"""Discovery.assign with what an earlier call left gives exactly what a fresh call gives: a text
is read again only when it is new, and nothing is reused under other issues."""

from __future__ import annotations

from dataclasses import dataclass

from briefing.index.issues import Discovery
from briefing.index.model import Issue


@dataclass
class _St:
    text: str
    source: str = "a"
    outlet: str | None = None


TEXTS = ["The harbour fees will rise next spring.", "Nobody asked for higher harbour fees.",
         "The ferry timetable is a disgrace.", "Fees and ferries: both are a disgrace.", "Nothing to see."]
FEES = Issue("fees", "Harbour fees", "", 'fee* OR "harbour fees"', inferred=True)
FERRY = Issue("ferry", "Ferries", "", "ferr* OR timetabl*", inferred=True)


def test_assign_with_the_last_calls_memo_is_a_fresh_assign():
    memo: dict = {}
    first = Discovery([_St(t) for t in TEXTS]).assign([FEES, FERRY], None, memo)
    assert first == [["fees"], ["fees"], ["ferry"], ["fees", "ferry"], []]
    changed = [*TEXTS[:2], "Ferry fees went up again.", *TEXTS[3:], "A new ferry."]
    statements = [_St(t) for t in changed]
    again: dict = {}
    assert Discovery(statements).assign([FEES, FERRY], memo, again) == Discovery(statements).assign([FEES, FERRY])
    # under other issues the memo says nothing
    assert Discovery(statements).assign([FERRY], again, {}) == Discovery(statements).assign([FERRY])
    assert Discovery(statements).assign([FERRY], again, {}) == [[], [], ["ferry"], ["ferry"], [], ["ferry"]]


def test_a_memo_with_a_wrong_answer_is_not_consulted_for_other_issues():
    memo: dict = {}
    Discovery([_St(t) for t in TEXTS]).assign([FEES], None, memo)
    (table,) = memo.values()
    for k in table:
        table[k] = ("fees",)
    renamed = Issue("fees", "Harbour fees", "", "fee*", inferred=True)  # another query: another key
    assert Discovery([_St(t) for t in TEXTS]).assign([renamed], memo, {}) == [["fees"], ["fees"], [], ["fees"], []]
