"""A corpus of one very long article (issue 18 item 12) beside two ordinary ones.

The long article is a million-paragraph paste in miniature: paragraphs of a few words, a
quotation with a pronoun now and then (so quote extraction has work in every stretch), and at
most about 14 bytes a paragraph, so a million of them stay under the 16 MB file limit.
"""

from __future__ import annotations

from pathlib import Path

LEAD = "Delegates from both sides met in Geneva on Monday for talks that went on late into the night."


def long_text(paragraphs: int) -> str:
    body: list[str] = []
    for i in range(paragraphs):
        if i % 50 == 0:
            body.append("Ana Belmonte spoke.")
        elif i % 10 == 5:
            body.append("“No,” she said.")
        else:
            body.append(f"Vote {i % 100000}.")
    return "Long talks\n\n" + LEAD + "\n\n" + "\n\n".join(body) + "\n"


def write_corpus(root: Path, paragraphs: int, name: str = "huge.txt") -> Path:
    """`root` with the long article `name` and two short ones; returns the long file's path."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "short.txt").write_text(
        "A short one\n\nThe talks in Geneva ended on Monday evening after a long day of meetings.\n\n"
        "“We will be back,” Minister Ana Belmonte said.\n", encoding="utf-8"
    )
    (root / "other.txt").write_text(
        "Another short one\n\nNegotiators from the northern delegation arrived in Geneva on Sunday night.\n\n"
        "“It was frank,” said envoy Petro Danko.\n\nHe left early.\n", encoding="utf-8"
    )
    path = root / name
    path.write_text(long_text(paragraphs), encoding="utf-8")
    return path
