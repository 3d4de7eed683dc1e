"""Build a hostile corpus in a directory: every kind of broken, odd or malicious input a user's
folder of pasted articles can hold. Built by the tests (and by hand: `python tests/support/hostile.py DIR`);
no binary file is committed.

Each entry says what must happen to it: `read` (with text the cleaned article must contain) or
`skipped` (with words the printed reason must contain). Entries that depend on the platform
(a FIFO, an undecodable file name, chmod 000 as root) say so in `when`.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

# A paragraph the cleaner keeps as report text (long enough, ends like a sentence).
def prose(word: str, n: int = 1) -> str:
    sentence = f"The {word} report says the council met on Tuesday to discuss the harbour and its future plans."
    return " ".join([sentence] * n)


def article(title: str, word: str, *extra: str) -> str:
    paras = [title, prose(word), *extra, prose(word + "again")]
    return "\n\n".join(paras) + "\n"


MARKUP_TITLE = "[@click=app.quit]Quit now[/] and [link=file:///etc/passwd]passwords[/link] [bold red]loud[/]"
MARKUP_BODY = (
    "The markup report quotes [@click=app.quit]click here[/] and [link=file:///etc/passwd]this link[/link] "
    "and a lone closing tag [/] and [b]bold[/b] and \\[escaped] brackets, all of them to be shown literally."
)
MOJIBAKE_BODY = "The mojibake report says itâ€™s the councilâ€™s â€œfinalâ€\x9d word on the harbour, cafÃ© included."
ANSI_BODY = (
    "The ansi report \x1b[31mturns red\x1b[0m, \x1b[2J\x1b[Hclears the screen, sets the title \x1b]0;pwned\x07, "
    "links \x1b]8;;http://evil.example\x1b\\somewhere\x1b]8;;\x1b\\, resets \x1bc and \u009b31mwrites in C1 too."
)
CONTROL_BODY = (
    "The control report has a NUL\x00 here, a bell\x07, a backspace\x08, a vertical tab\x0b, a form feed\x0c, "
    "a delete\x7f, an escape\x1b alone and a C1 control\u0085 inside its text about the harbour."
)
QUOTE_MARKUP = "[@click=app.quit]Quit[/] and [link=file:///etc/passwd]read[/link] now"
QUOTES_BODY = (
    f"“The quotes report says {QUOTE_MARKUP} \x1b[31mloudly\x1b[0m,” said Ana Lima, the harbour master, on Friday. "
    "“The quotes report,” said Ana Lima, “has an opening quote that never closes. And “nested “quotes” "
    "inside” and 'single ‘mixed” ones,” she added, \"and straight \"\"doubled\" quotes\" too."
)


@dataclass
class Entry:
    name: str  # file name as the user sees it (str; bytes names are in `raw_name`)
    outcome: str  # "read" or "skipped"
    expect: tuple[str, ...] = ()  # read: text in the cleaned article; skipped: words in the reason
    forbid: tuple[str, ...] = ()  # read: text that must not be in the cleaned article
    when: str = ""  # why this entry may be absent or behave differently on this platform
    raw_name: bytes | None = None

    @property
    def id(self) -> str:
        return Path(self.name).stem


@dataclass
class HostileCorpus:
    root: Path
    outside: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    def read(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.outcome == "read"]

    def skipped(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.outcome == "skipped"]


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def build(root: Path, big: bool = True) -> HostileCorpus:
    """Create the hostile corpus at `root` (which must not exist yet). `big=False` leaves out the
    10 MB article for quick tests."""
    root = Path(root)
    root.mkdir(parents=True)
    outside = root.parent / (root.name + "-outside")
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text(article("Secret outside the corpus", "secret"), encoding="utf-8")
    hc = HostileCorpus(root, outside)

    def add(name: str, data: bytes | str, outcome: str, expect=(), forbid=(), when="") -> Entry:
        path = root / name
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)
        entry = Entry(name, outcome, tuple(expect), tuple(forbid), when)
        hc.entries[name] = entry
        return entry

    # A plain article, so there is something to search, and a manifest with hostile strings.
    add("plain.txt", article("Harbour reopens after storm", "plain"), "read", ["Harbour reopens"])
    (root / "briefing.toml").write_text(
        'title = "[bold red]Hostile[/] \\u001b[2Jbriefing\\u0007"\n'
        "[[articles]]\n"
        'id = "plain"\n'
        'outlet = "[link=file:///etc/passwd]Gazette[/link]\\u001b]0;pwned\\u0007"\n',
        encoding="utf-8",
    )

    # Empty, blank, binary.
    add("empty.txt", b"", "skipped", ["empty"])
    add("blank.txt", b"  \n\n\t \r\n", "skipped", ["empty"])
    add("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "skipped", ["binary", "PNG"])
    add("nuls.txt", b"\x00\x01\x02\x03" * 4096, "skipped", ["binary"])
    add("only-controls.txt", "\x1b[31m\x07\x08\x1b[0m\x7f\n\x0b\x0c", "skipped", ["no text"])
    add("furniture.txt", "Sign up\n\nSubscribe now\n\nAdvertisement\n\nShare this\n", "skipped", ["no article text"])

    # Encodings.
    add("latin1.txt", article("Le café était fermé", "latin", "Le café était fermé à Zürich, señor, où l'été dure; ça coûte très cher à Genève.").encode("latin-1"),
        "read", ["café était fermé", "Zürich", "señor"])
    add("cp1252.txt", article("Council’s “final” word – a dash", "cpwindows", "The cp1252 report says it’s the council’s “final” word – and that costs €5 … maybe.").encode("cp1252"),
        "read", ["it’s the council’s “final” word – and that costs €5 …"])
    add("utf16.txt", article("Zürich hält den Atem an", "utfsixteen", "Die Stadt Zürich hält den Atem an — 東京 and emoji 🎉 are fine in the sixteen-bit encoding here.").encode("utf-16"),
        "read", ["Zürich hält den Atem an", "東京", "🎉"])
    add("utf16be.txt", codecs.BOM_UTF16_BE + article("Big endian", "bigendian", "The big-endian report with ü and 東京 in it is decoded with its byte-order mark here.").encode("utf-16-be"),
        "read", ["ü and 東京"])
    add("utf32.txt", codecs.BOM_UTF32_LE + article("Thirty-two bits", "thirtytwo", "The thirty-two-bit report with ü and 🎉 in it is decoded with its byte-order mark here.").encode("utf-32-le"),
        "read", ["ü and 🎉"])
    add("utf8bom.txt", codecs.BOM_UTF8 + article("Title after a BOM", "utfbom").encode("utf-8"),
        "read", ["Title after a BOM"], ["\ufeff"])
    add("mojibake.txt", article("Mojibake: itâ€™s fixed", "mojibake", MOJIBAKE_BODY),
        "read", ["it’s the council’s “final” word", "café included", "it’s fixed"], ["â€", "Ã©"])
    add("crlf.txt", article("Old line endings", "crlf").replace("\n", "\r\n"), "read", ["Old line endings"], ["\r"])
    add("cr-only.txt", article("Classic Mac line endings", "cronly").replace("\n", "\r"), "read", ["Classic Mac line endings"], ["\r"])

    # Size.
    add("oneline.txt", "One enormous line " + ("word " * 40_000)[:199_900] + " ends here.", "read", ["One enormous line"])
    if big:
        chunk = prose("bigfile", 1) + " "
        para = chunk * (100_000 // len(chunk))
        body = "\n\n".join(f"{para} Paragraph {i} ends." for i in range(100))
        add("big.txt", "A ten megabyte article\n\n" + body + "\n", "read", ["A ten megabyte article"])
        assert (root / "big.txt").stat().st_size > 9_500_000
    huge = root / "huge.txt"
    with huge.open("wb") as fh:  # sparse: costs no disk, but stat() says 17 MB
        fh.truncate(17 * 1024 * 1024)
    hc.entries["huge.txt"] = Entry("huge.txt", "skipped", ("too large",))

    # What must never reach a terminal.
    add("controls.txt", article("Control characters\x07 in the title\x1b[2J", "control", CONTROL_BODY), "read",
        ["NUL here, a bell, a backspace", "Control characters in the title"])
    add("ansi.txt", article("\x1b[1mBold\x1b[0m title \x1b]0;pwned\x07", "ansi", ANSI_BODY), "read",
        ["turns red", "clears the screen", "somewhere", "Bold title"], ["31m", "pwned", "evil.example", "[2J"])
    add("markup.txt", article(MARKUP_TITLE, "markup", MARKUP_BODY), "read", [MARKUP_TITLE, "[@click=app.quit]click here[/]", "\\[escaped]"])
    add("quotes.txt", article("Quotes that never close", "quotes", QUOTES_BODY, "“" * 50 + " unclosed.", "”" * 50 + "."), "read", ["never closes"])

    # File names.
    add("name with spaces.txt", article("Spaces in the name", "spaces"), "read", ["Spaces in the name"])
    add("ünïcödé 記事 🎉.txt", article("Unicode in the name", "unicodename"), "read", ["Unicode in the name"])
    add("-rf.txt", article("A dash in front", "dashrf"), "read", ["A dash in front"])
    add("--help.txt", article("Two dashes in front", "dashhelp"), "read", ["Two dashes in front"])
    add("UPPER.TXT", article("Upper-case extension", "upperext"), "read", ["Upper-case extension"])
    add("ctrl\x1b[31mname\x07.txt", article("Escape in the name", "escname"), "skipped", ["file name", "control"])
    add("new\nline.txt", article("Newline in the name", "newlinename"), "skipped", ["file name", "control"])
    if sys.platform != "darwin":  # macOS refuses names that are not valid UTF-8
        raw = os.fsencode(root) + b"/bad-\xff-name.txt"
        with open(raw, "wb") as fh:
            fh.write(article("Undecodable name", "badname").encode())
        entry = Entry(os.fsdecode(b"bad-\xff-name.txt"), "skipped", ("file name", "UTF-8"), when="undecodable file names", raw_name=b"bad-\xff-name.txt")
        hc.entries[entry.name] = entry

    # Things that are not plain files in the corpus.
    os.symlink(outside / "secret.txt", root / "escape.txt")
    hc.entries["escape.txt"] = Entry("escape.txt", "skipped", ("outside the corpus",))
    os.symlink("../" + outside.name + "/secret.txt", root / "relative-escape.txt")
    hc.entries["relative-escape.txt"] = Entry("relative-escape.txt", "skipped", ("outside the corpus",))
    os.symlink("/etc/passwd", root / "passwd.txt")
    hc.entries["passwd.txt"] = Entry("passwd.txt", "skipped", ("outside the corpus",))
    os.symlink("plain.txt", root / "alias.txt")
    hc.entries["alias.txt"] = Entry("alias.txt", "read", ("Harbour reopens",))
    os.symlink("missing-target.txt", root / "dangling.txt")
    hc.entries["dangling.txt"] = Entry("dangling.txt", "skipped", ("broken symbolic link",))
    os.symlink("loop.txt", root / "loop.txt")
    hc.entries["loop.txt"] = Entry("loop.txt", "skipped", ("symbolic link",))
    (root / "folder.txt").mkdir()
    (root / "folder.txt" / "inner.txt").write_text(article("Inside a folder", "folder"))
    hc.entries["folder.txt"] = Entry("folder.txt", "skipped", ("not a regular file",))
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "fifo.txt")  # opening it would block forever: it must never be read
        hc.entries["fifo.txt"] = Entry("fifo.txt", "skipped", ("not a regular file",), when="FIFOs")
    locked = add("locked.txt", article("Locked away", "locked"), "skipped", ["permission denied"])
    (root / "locked.txt").chmod(0)
    if running_as_root():
        locked.outcome = "read"
        locked.expect = ("Locked away",)
        locked.when = "root reads files whatever their permissions"
    (root / ".hidden.txt").write_text(article("Hidden", "hidden"))  # dot files are not articles
    # Markdown is an article format (issue 13); a file of no article format is skipped, with why.
    add("column.md", article("A Markdown file", "markdown"), "read", ["A Markdown file"])
    add("notes.docx", b"PK\x03\x04 an office document", "skipped", ["not an article file"])
    return hc


def restore_permissions(hc: HostileCorpus) -> None:
    """chmod 000 files stop pytest from removing tmp dirs as a normal user."""
    locked = hc.root / "locked.txt"
    if locked.exists():
        locked.chmod(stat.S_IRUSR | stat.S_IWUSR)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/hostile")
    built = build(target)
    print(f"hostile corpus in {built.root} ({len(built.entries)} entries; outside file in {built.outside})")
