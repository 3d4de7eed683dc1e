"""Web furniture is found in two parts (cleaning._is_furniture: lines that begin as furniture does,
and lines with its words anywhere, those searched for first): the same lines as the whole
expression finds."""

from __future__ import annotations

import itertools

from briefing.index.corpus import cleaning

PIECES = [
    "Sign in here.", "Read more", "read more about the talks", "Subscribe", "Start reading", "Our picks",
    "Try it: 30 days free", "Try it: 30 days free.", "a subscription that gives you the archive",
    "Your email address will not be published.", "Advertisement", "Advert", "5 min read", "Name *", "Email *:",
    "Comment", "Post comment", "Copyright 2021 The Harbour Gazette", "All rights reserved.", "Log in", "Register",
    "3.", "7,500", "----", "* * *", "The minister said talks would resume on Monday after the convoy crossed.",
    "More aid is needed, officials said.", "Freedom of movement was the first demand.", "Signs of progress",
    "Sign of the times", "Images of the summit were shared.", "“Read the agreement,” she said.",
    "ſign up", "K days free", "one app for all", "Newspapers in English",
]


def _plain(line: str) -> bool:
    return bool(cleaning._FURNITURE.match(line) or cleaning._COUNTER.match(line) or cleaning._RULE.match(line))


def test_the_quick_tests_find_what_the_full_expression_finds() -> None:
    lines = list(PIECES)
    lines += [a + " " + b for a, b in itertools.product(PIECES, repeat=2)]
    lines += [a + "\n" for a in PIECES] + ["x\n" + a for a in PIECES] + [a + "\nx" for a in PIECES]
    lines += [" " + a for a in PIECES] + [a.upper() for a in PIECES]
    found = [line for line in lines if _plain(line)]
    assert len(found) > 40  # the cases include furniture of every kind
    assert [cleaning._is_furniture(line) for line in lines] == [_plain(line) for line in lines]
