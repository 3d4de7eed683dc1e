"""Issues without a manifest: general English (the forms of common verbs, indefinite pronouns,
contractions, the wording of news copy) is never an issue's key phrase; content words are."""

from __future__ import annotations

import tomllib
from importlib import resources

from briefing.index.issues import discover_issues, filler_words, phrase_keys
from support.statements import St


# A dispute told by three outlets: the verbs "went", "came", "took", "made", "gone" and the
# pronoun "nobody" recur across outlets as often as the content words do.
DISPUTE = [
    St("The fare increase went through without a public audit.", "Ledger"),
    St("When the last fare increase went ahead, nobody saw an audit.", "Courier"),
    St("My bus pass already went up twice, and nobody came to explain.", "Bulletin"),
    St("They came to the hearing after the fare increase was made final.", "Ledger"),
    St("An independent audit took months and nobody read it.", "Courier"),
    St("The depot took the money and the buses are gone.", "Bulletin"),
    St("We made our case for an audit and then they were gone.", "Ledger"),
    St("Nobody came back with answers and the money is gone.", "Courier"),
    St("Drivers took a pay freeze so the depot could stay open.", "Bulletin"),
    St("The depot made repairs to the oldest buses first.", "Ledger"),
    St("Riders deserve a timetable that works.", "Courier"),
    St("The mayor praised the new shelters downtown.", "Bulletin"),
    St("Commuters on the east line wait longest.", "Ledger"),
    St("Students ride free on weekends now.", "Courier"),
    St("The depot will publish its accounts in spring.", "Bulletin"),
    St("Ticket machines at the station were replaced.", "Ledger"),
    St("A new route to the hospital starts soon.", "Courier"),
    St("Cyclists want more racks at the terminal.", "Bulletin"),
]

VERB_FORMS = {"went", "came", "took", "made", "gone", "taken", "nobody"}


def _phrase_words(issues: list) -> set[str]:
    return {w.lower() for i in issues for p in i.phrases for w in p.split()}


def test_forms_of_common_verbs_are_not_issue_keywords():
    issues = discover_issues(DISPUTE)
    words = _phrase_words(issues)
    assert not words & VERB_FORMS, words
    for issue in issues:
        assert not any(term.rstrip("*").strip('"') in VERB_FORMS for term in issue.query.split(" OR ")), issue.query


def test_content_words_still_make_issues():
    issues = discover_issues(DISPUTE)
    assert {"fare increase", "audit"} <= {p.lower() for i in issues for p in i.phrases}
    assert "depot" in _phrase_words(issues)


def test_a_filler_word_breaks_a_phrase_and_is_no_phrase_itself():
    keys = phrase_keys("My rent already went up, so nobody can't pay.", frozenset())
    flat = {w for key in keys for w in key}
    assert ("rent",) in keys
    assert not flat & {"went", "already", "nobody", "can't"}
    keys = phrase_keys("Rent controls came back after the water rates doubled.", frozenset())
    assert ("rent", "control") in keys and ("water", "rate") in keys
    assert not any("came" in key for key in keys)


def test_the_vocabulary_is_read_from_the_data_file():
    """Every form the data file lists is filler; what a story is about is not in it."""
    data = tomllib.loads(resources.files("briefing.index").joinpath("data/issues.toml").read_text(encoding="utf-8"))
    listed = {w.lower() for group in data["filler"].values() for w in group}
    listed |= {f.lower() for forms in data["common_verbs"].values() for f in forms.split()}
    assert listed == filler_words()
    assert {"went", "came", "took", "gone", "made", "brought", "thought", "began"} <= filler_words()
    assert not filler_words() & {"increase", "audit", "sanctions", "missiles", "talks", "vote", "deal",
                                 "strike", "tax", "cut", "plan", "change", "pipes", "rent"}
