"""The manifest (briefing.toml): read with the same care as an article, then checked.

Reading: the same file checks as articles (a regular file, a link that stays inside the corpus,
never a FIFO or a device, opened without blocking) and a size limit, so a hostile manifest can
neither hang nor exhaust a command.

Checking: every part is checked on its own. A TOML syntax error gives the file, line and column
(nothing of that file can be used); an unknown table or key, a value of the wrong type, an issue
query that cannot work, a person on a side that no [[sides]] defines, and anything past the
limits below each give one problem, and only that part is left out: the rest still applies.
The problems are `Manifest.problems` (typed, `ManifestProblem`), shown by the CLI and the reader.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from pathlib import Path
from collections.abc import Callable, Iterator
from typing import Any

from briefing.index.corpus.reading import Unreadable, read_bytes
from briefing.index.locations import MANIFEST_NAME
from briefing.index.model import Issue, Manifest, ManifestProblem, Side
from briefing.index.text import display_name, sanitize

# What a manifest may ask, so that no manifest can make every command slow: the cue words are
# matched in every speaker's role, the queries run over every statement, people are looked up
# for every quote. The bundled briefing uses 3 sides, 12 cues, 3 people and 6 short queries.
MAX_MANIFEST_BYTES = 2 * 1024 * 1024
MAX_SIDES = 16
MAX_CUES_PER_SIDE = 50
MAX_CUES = 200  # all sides together: each cue is a pattern tried on every speaker's words
MAX_CUE_CHARS = 80
MAX_PEOPLE = 2000
MAX_ISSUES = 30
MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 40
MAX_ARTICLE_ENTRIES = 100_000
MAX_VALUE_CHARS = 500

TOP_LEVEL = ("title", "event_date", "sides", "people", "issues", "articles")
SIDE_KEYS = ("id", "label", "cues")
ISSUE_KEYS = ("id", "label", "description", "query")
ARTICLE_KEYS = ("id", "outlet", "title", "byline", "date")

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_QUERY_TERM = re.compile(r'"[^"]*"|[^\s()"]+')
_OPERATOR = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_FIELD = re.compile(r"(?:^|[\s(])([A-Za-z_]\w*):(?!//)")


def manifest_path(root: Path) -> Path:
    path: Path = Path(root) / MANIFEST_NAME
    return path


def load_manifest(root: Path) -> Manifest:
    """The corpus' manifest, checked. Never raises: what cannot be used is in `.problems`."""
    path = manifest_path(root)
    shown = display_name(str(path))
    if not os.path.lexists(path):
        return Manifest()
    problem = _file_problem(Path(root), path)
    if problem:
        return Manifest(problems=[ManifestProblem(shown, f"{problem}; the manifest is ignored ({_FIX_FILE})")])
    try:
        raw = read_bytes(path, MAX_MANIFEST_BYTES)
    except Unreadable as exc:
        return Manifest(problems=[ManifestProblem(shown, f"{exc}; the manifest is ignored ({_FIX_FILE})")])
    signature = hashlib.sha256(raw).hexdigest()
    return parse_manifest(raw, shown, signature)


_FIX_FILE = f"make {MANIFEST_NAME} a regular text file of at most {MAX_MANIFEST_BYTES // 1_048_576} MB inside the corpus, or remove it"


def _file_problem(root: Path, path: Path) -> str | None:
    """Why the manifest file itself cannot be read (before opening it), or None."""
    try:
        if path.is_symlink():
            try:
                target = Path(os.path.realpath(path, strict=True))
            except FileNotFoundError:
                return "broken symbolic link (its target does not exist)"
            except OSError as exc:
                return f"symbolic link cannot be followed: {exc.strerror or exc}"
            if Path(os.path.realpath(root)) not in target.parents:
                return "symbolic link to a file outside the corpus"
        if not path.is_file():
            return "not a regular file"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    return None


def parse_manifest(raw: bytes, shown: str = MANIFEST_NAME, signature: str = "none") -> Manifest:
    """Check a manifest's bytes; `shown` names the file in problems."""
    problems: list[ManifestProblem] = []
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        return Manifest(
            problems=[ManifestProblem(shown, "not UTF-8 text (TOML must be UTF-8); the manifest is ignored: save it as UTF-8", bad_line)],
            signature=signature,
        )
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        line, column = _toml_position(exc)
        reason = _TOML_POSITION.sub("", str(exc)).strip()
        return Manifest(
            problems=[ManifestProblem(shown, f"TOML syntax error ({reason}): {MANIFEST_NAME} ignored until this line is fixed", line, column)],
            signature=signature,
        )
    checker = _Checker(source, shown, problems)
    return checker.manifest(data, signature)


def _toml_position(exc: tomllib.TOMLDecodeError) -> tuple[int | None, int | None]:
    line: object = getattr(exc, "lineno", None)
    column: object = getattr(exc, "colno", None)
    if isinstance(line, int) and isinstance(column, int):
        return line, column
    m = _TOML_POSITION.search(str(exc))
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


class _Checker:
    def __init__(self, source: str, shown: str, problems: list[ManifestProblem]):
        self.lines = source.splitlines()
        self.shown = shown
        self.problems = problems
        self.after = 0  # keys are looked for from this line on: the current entry's `id` line

    # ---- problems, with the line they are on when it can be found ----------------------------
    def problem(self, message: str, *, key: str | None = None, value: str | None = None, table: str | None = None) -> None:
        self.problems.append(ManifestProblem(self.shown, message, self._line_of(key, value, table)))

    def _line_of(self, key: str | None, value: str | None, table: str | None) -> int | None:
        patterns: list[re.Pattern[str]] = []
        if table is not None:
            patterns.append(re.compile(r"^\s*\[\[?\s*" + re.escape(table) + r"\s*\]\]?"))
        if key is not None and value is not None:
            patterns.append(re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=\s*[\"']" + re.escape(value) + r"[\"']"))
        if key is not None:
            patterns.append(re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*="))
        if value is not None:
            patterns.append(re.compile(re.escape(value)))
        for pattern in patterns:
            for i, line in enumerate(self.lines[self.after :], self.after + 1):
                if pattern.search(line):
                    return i
        return None

    def enter(self, entry_id: str | None) -> None:
        """Problems from here on are about the [[table]] entry with this id (None: the whole file)."""
        self.after = 0
        if entry_id is not None:
            pattern = re.compile(r"^\s*id\s*=\s*[\"']" + re.escape(entry_id) + r"[\"']")
            for i, line in enumerate(self.lines):
                if pattern.search(line):
                    self.after = i
                    return

    # ---- values ----------------------------------------------------------------------------
    def text(self, value: object, where: str, key: str, limit: int = MAX_VALUE_CHARS) -> str | None:
        if not isinstance(value, str):
            self.problem(f"{where}: `{key}` must be a text string in quotes, not {_kind(value)}; it is ignored", key=key)
            return None
        cleaned = " ".join(sanitize(value).split())
        if len(cleaned) > limit:
            self.problem(f"{where}: `{key}` is {len(cleaned):,} characters long (the limit is {limit:,}); it is ignored", key=key)
            return None
        return cleaned

    def table_list(self, data: dict[str, Any], name: str, limit: int) -> list[dict[str, Any]]:
        value = data.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(f"`{name}` must be written as [[{name}]] tables; it is ignored", key=name, table=name)
            return []
        if len(value) > limit:
            self.problem(f"{len(value):,} [[{name}]] entries (the limit is {limit:,}); only the first {limit:,} are used", table=name)
            value = value[:limit]
        return value

    def unknown_keys(self, entry: dict[str, Any], known: tuple[str, ...], where: str) -> None:
        for key in entry:
            if key not in known:
                self.problem(
                    f"{where}: unknown key `{_show(key)}` (known keys: {', '.join(known)}); it is ignored",
                    key=str(key),
                )

    # ---- the manifest -----------------------------------------------------------------------
    def manifest(self, data: dict[str, Any], signature: str) -> Manifest:
        for key, value in data.items():
            if key not in TOP_LEVEL:
                kind = "table" if isinstance(value, (dict, list)) else "key"
                self.problem(
                    f"unknown {kind} `{_show(key)}` (a manifest has: {', '.join(TOP_LEVEL)}); it is ignored",
                    key=str(key), table=str(key),
                )
        title = self.text(data["title"], "the manifest", "title") if "title" in data else None
        if "event_date" in data:
            self.text(data["event_date"], "the manifest", "event_date")
        sides = self.sides(data)
        self.enter(None)
        people = self.people(data, sides)
        issues = self.issues(data)
        self.enter(None)
        articles = self.articles(data)
        self.enter(None)
        return Manifest(title, sides, people, issues, articles, problems=self.problems, signature=signature)

    def sides(self, data: dict[str, Any]) -> list[Side]:
        sides: list[Side] = []
        total = 0
        over = False
        for where, side_id, entry in self.entries(data, "sides", MAX_SIDES, SIDE_KEYS, lambda i: any(s.id == i for s in sides)):
            label = self.text(entry.get("label", side_id), where, "label") or side_id
            cues = self.cues(entry.get("cues", []), where)
            if total + len(cues) > MAX_CUES:
                kept = max(0, MAX_CUES - total)
                if total <= MAX_CUES and not over:
                    self.problem(
                        f"the sides have more than {MAX_CUES} cues together (the limit): only the first {MAX_CUES} are used, "
                        f"from side '{side_id}' on cues are left out", key="cues",
                    )
                over = True
                cues = cues[:kept]
            total += len(cues)
            sides.append(Side(side_id, label, cues))
        return sides

    def cues(self, value: object, where: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.problem(f"{where}: `cues` must be a list of words in quotes, e.g. cues = [\"Kremlin\", \"Moscow\"]; it is ignored", key="cues")
            return ()
        if len(value) > MAX_CUES_PER_SIDE:
            self.problem(f"{where}: {len(value):,} cues (the limit is {MAX_CUES_PER_SIDE}); only the first {MAX_CUES_PER_SIDE} are used", key="cues")
            value = value[:MAX_CUES_PER_SIDE]
        cues: list[str] = []
        for cue in value:
            text = cue if isinstance(cue, str) else None
            cleaned = " ".join(sanitize(text).split()) if text is not None else ""
            if not cleaned:
                self.problem(f"{where}: a cue must be a non-empty word in quotes, not {_kind(cue)}; it is ignored", key="cues")
            elif len(cleaned) > MAX_CUE_CHARS:
                self.problem(f"{where}: a cue of {len(cleaned):,} characters (the limit is {MAX_CUE_CHARS}); it is ignored", key="cues")
            elif cleaned not in cues:
                cues.append(cleaned)
        return tuple(cues)

    def people(self, data: dict[str, Any], sides: list[Side]) -> dict[str, str]:
        value = data.get("people")
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem('`people` must be a table: [people] then lines like "Jane Doe" = "side-id"; it is ignored', key="people", table="people")
            return {}
        items = list(value.items())
        if len(items) > MAX_PEOPLE:
            self.problem(f"{len(items):,} people (the limit is {MAX_PEOPLE:,}); only the first {MAX_PEOPLE:,} are used", table="people")
            items = items[:MAX_PEOPLE]
        known = {s.id for s in sides}
        people: dict[str, str] = {}
        for name, side in items:
            person = " ".join(sanitize(str(name)).split())
            if not isinstance(side, str):
                self.problem(f"[people] '{person}': the side must be a side id in quotes, not {_kind(side)}; it is ignored", key=str(name))
                continue
            side_id = " ".join(sanitize(side).split())
            if not person:
                continue
            if side_id not in known:
                choices = ", ".join(sorted(known)) if known else "none is defined: add [[sides]] tables"
                self.problem(
                    f"[people] '{person}' is on side '{side_id}', which no [[sides]] entry defines (sides: {choices}); "
                    "this person is ignored",
                    key=str(name),
                )
                continue
            people[person] = side_id
        return people

    def issues(self, data: dict[str, Any]) -> list[Issue]:
        issues: list[Issue] = []
        for where, issue_id, entry in self.entries(data, "issues", MAX_ISSUES, ISSUE_KEYS, lambda i: any(x.id == i for x in issues)):
            if "query" not in entry:
                self.problem(f"{where} has no `query` (a Whoosh query such as 'sanction* OR penalties'); the issue is ignored", key="id", value=issue_id)
                continue
            query = self.text(entry["query"], where, "query", limit=MAX_QUERY_CHARS + 1)
            if query is None:
                continue
            error = query_problem(query)
            if error:
                self.problem(f"{where}: bad query: {error}; the issue is ignored", key="query", value=_first_words(entry["query"]))
                continue
            label = self.text(entry.get("label", issue_id), where, "label") or issue_id
            description = self.text(entry.get("description", ""), where, "description") or ""
            issues.append(Issue(issue_id, label, description, query))
        return issues

    def articles(self, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
        articles: dict[str, dict[str, Any]] = {}
        for n, entry in enumerate(self.table_list(data, "articles", MAX_ARTICLE_ENTRIES), 1):
            where = f"[[articles]] #{n}"
            article_id = self.required_id(entry, where, "articles")
            if article_id is None:
                self.unknown_keys(entry, ARTICLE_KEYS, where)
                continue
            self.enter(article_id)
            self.unknown_keys(entry, ARTICLE_KEYS, f"article '{article_id}'")
            facts: dict[str, Any] = {}
            for key in ARTICLE_KEYS[1:]:
                if key in entry:
                    value = self.text(entry[key], f"article '{article_id}'", key)
                    if value:
                        facts[key] = value
            articles.setdefault(article_id, {}).update(facts)
        return articles

    def entries(
        self, data: dict[str, Any], table: str, limit: int, keys: tuple[str, ...], taken: Callable[[str], bool]
    ) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(where, id, entry) of each `[[table]]` entry with a usable id not `taken` yet; an entry
        without an id, an unknown key and a second definition each get their message."""
        kind = table[:-1]
        for n, entry in enumerate(self.table_list(data, table, limit), 1):
            where = f"[[{table}]] #{n}"
            entry_id = self.required_id(entry, where, table)
            if entry_id is None:
                self.unknown_keys(entry, keys, where)
                continue
            where = f"{kind} '{entry_id}'"
            self.enter(entry_id)
            self.unknown_keys(entry, keys, where)
            if taken(entry_id):
                self.problem(f"{where} is defined twice; the second is ignored", key="id", value=entry_id)
                continue
            yield where, entry_id, entry

    def required_id(self, entry: dict[str, Any], where: str, table: str) -> str | None:
        if "id" not in entry:
            self.problem(f"{where} has no `id`; the entry is ignored", table=table)
            return None
        value = self.text(entry["id"], where, "id")
        if not value:
            return None
        return value


def query_problem(query: str) -> str | None:
    """Why an issue query cannot work (or would be too costly to run on every open), or None.

    Issue queries are matched against statements' text only, in Whoosh syntax."""
    text = query.strip()
    if not text:
        return "the query is empty"
    if len(text) > MAX_QUERY_CHARS:
        return f"the query is {len(text):,} characters long (the limit is {MAX_QUERY_CHARS:,})"
    if text.count('"') % 2:
        return 'unbalanced quotation mark: a phrase needs an opening and a closing "'
    depth = 0
    for ch in re.sub(r'"[^"]*"', " ", text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return "unbalanced parentheses: a ) comes before its ("
    if depth:
        return "unbalanced parentheses: every ( needs a matching )"
    outside = re.sub(r'"[^"]*"', " ", text)
    if m := _FIELD.search(outside):
        return f"'{m.group(1)}:' is a field, but issue queries match only what people say: remove the field name"
    tokens = _QUERY_TERM.findall(text)
    terms = [t for t in tokens if t not in _OPERATOR]
    if not terms:
        return "the query has only operators: put words around them, e.g. sanction* OR penalties"
    if len(terms) > MAX_QUERY_TERMS:
        return f"the query has {len(terms)} terms (the limit is {MAX_QUERY_TERMS})"
    for t in terms:
        bare = t.strip('"')
        if not t.startswith('"') and ("*" in bare or "?" in bare):
            head = re.split(r"[*?]", bare, maxsplit=1)[0]
            if len(head) < 2:
                return f"'{t}': a wildcard needs at least two letters before it (it would match almost every word)"
    previous: str | None = None
    for t in ["AND"] + tokens + ["AND"]:  # an operator at either end, or two in a row
        if t in _OPERATOR and previous in _OPERATOR and not (t == "NOT" and previous != "NOT"):
            return "an operator (AND, OR, NOT) needs a term on each side"
        previous = t
    return None


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, str):
        return "an empty string"
    return type(value).__name__


def _show(value: object) -> str:
    return " ".join(sanitize(str(value)).split())[:80]


def _first_words(value: object) -> str:
    return str(value)[:20]
