"""`briefing add PATH|URL…` (issue 13): files are copied, pages fetched from a local server only."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator

import pytest

from briefing.tui.cli import main
from support import ingest_pages as pages

PAGE = pages.news_page().encode("utf-8")
FEED = pages.rss_feed([pages.ENTRY_A, pages.ENTRY_B]).encode("utf-8")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {
        "/news/2023/04/pier-vote": (200, "text/html; charset=utf-8", PAGE),
        "/feeds/harbour.xml": (200, "application/rss+xml", FEED),
        "/missing": (404, "text/html", b"<html><body>Not here</body></html>"),
        "/image.png": (200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
        "/links": (200, "text/html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>"),
    }

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path in ("/moved", "/to-ftp"):
            self.send_response(302)
            self.send_header("Location", "/news/2023/04/pier-vote" if self.path == "/moved" else "ftp://127.0.0.1/x.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(64 * 1024 * 1024))
            self.end_headers()
            return
        if self.path == "/endless":  # no Content-Length, more than the limit
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65536 + b"</p>"
            try:
                for _ in range(400):  # ~26 MB at most, then the server stops by itself
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        status, kind, body = self.routes.get(self.path, (404, "text/plain", b"no"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading (an error status): nothing to do

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def server(monkeypatch) -> Iterator[str]:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_add_files_copies_and_indexes(tmp_path, capsys):
    src = tmp_path / "downloads"
    src.mkdir()
    (src / "Pier Vote!.html").write_bytes(PAGE)
    (src / "gull.md").write_text(pages.markdown_article(), encoding="utf-8")
    corpus = tmp_path / "new-corpus"  # created by add
    code, out, err = run(capsys, "add", str(src / "Pier Vote!.html"), str(src / "gull.md"), "--corpus", str(corpus))
    assert code == 0, err
    assert (corpus / "Pier-Vote.html").read_bytes() == PAGE
    assert (corpus / "gull.md").exists()
    assert "added" in out and "The Coastal Ledger" in out and "Petra Lund" in out
    code, out, _ = run(capsys, "search", "lighthouse", "--corpus", str(corpus), "--json")
    assert json.loads(out)[0]["source"] == "gull"  # indexed


def test_add_twice_and_name_clash(tmp_path, capsys):
    corpus = tmp_path / "c"
    src = tmp_path / "pier.html"
    src.write_bytes(PAGE)
    assert run(capsys, "add", str(src), "--corpus", str(corpus))[0] == 0
    code, out, _ = run(capsys, "add", str(src), "--corpus", str(corpus))
    assert code == 0 and "already in the corpus as pier.html" in out
    other = tmp_path / "elsewhere" / "pier.txt"  # another article, same stem
    other.parent.mkdir()
    other.write_text(pages.wire_text("(AP) —"), encoding="utf-8")
    code, out, _ = run(capsys, "add", str(other), "--corpus", str(corpus), "--json")
    (result,) = json.loads(out)
    assert code == 0 and result["file"] == "pier-2.txt" and result["articles"] == ["pier-2"]
    assert sorted(p.name for p in corpus.iterdir()) == ["pier-2.txt", "pier.html"]


def test_add_refuses_what_it_cannot_read_and_copies_nothing(tmp_path, capsys):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (tmp_path / "nav.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    good = tmp_path / "good.txt"
    good.write_text(pages.wire_text("(Reuters) -"), encoding="utf-8")
    code, out, err = run(capsys, "add", str(tmp_path / "photo.jpg"), str(tmp_path / "binary.txt"), str(tmp_path / "nav.html"),
                         str(tmp_path / "nope.txt"), str(good), "--corpus", str(corpus))
    assert code == 1
    assert "photo.jpg: not an article file" in err
    assert "binary.txt: not added: binary file" in err
    assert "nav.html: not added: no article text" in err
    assert "nope.txt: no such file" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in corpus.iterdir()) == ["good.txt"]  # no temporary file left either
    assert "Reuters" in out


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="FIFOs")
def test_add_a_fifo_does_not_hang(tmp_path, capsys):
    import os

    os.mkfifo(tmp_path / "pipe.txt")
    started = time.perf_counter()
    code, _, err = run(capsys, "add", str(tmp_path / "pipe.txt"), "--corpus", str(tmp_path / "c"))
    assert code == 1 and "not a regular file" in err and time.perf_counter() - started < 10


def test_add_needs_a_corpus_of_ones_own(capsys, monkeypatch):
    code, _, err = run(capsys, "add", "x.html")
    assert code == 1 and "--corpus DIR" in err and "bundled briefing is not changed" in err


def test_add_url_saves_the_page_as_it_came(server, tmp_path, capsys):
    corpus = tmp_path / "c"
    code, out, err = run(capsys, "add", f"{server}/news/2023/04/pier-vote", f"{server}/feeds/harbour.xml", "--corpus", str(corpus), "--json")
    assert code == 0, err
    page, feed = json.loads(out)
    assert page["file"] == "pier-vote.html" and page["articles"] == ["pier-vote"]
    assert (corpus / "pier-vote.html").read_bytes() == PAGE  # byte for byte
    assert feed["file"] == "harbour.xml" and len(feed["articles"]) == 2
    code, out, _ = run(capsys, "sources", "--corpus", str(corpus), "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["pier-vote"]["outlet"] == "The Coastal Ledger" and rows["pier-vote"]["date"] == "2023-04-05"


def test_add_url_errors_are_plain(server, tmp_path, capsys):
    corpus = tmp_path / "c"
    code, out, err = run(capsys, "add", f"{server}/missing", f"{server}/image.png", f"{server}/links",
                         f"{server}/huge", f"{server}/endless", "ftp://127.0.0.1/x", "--corpus", str(corpus))
    assert code == 1 and "Traceback" not in err
    assert "missing: the server answered 404" in err
    assert "image.png: not added" in err
    assert "links: not added: no article text" in err
    assert "huge: too large (64.0 MB; the limit is 16 MB)" in err
    assert "endless: too large (more than 16.0 MB" in err
    assert "only http:// and https://" in err
    assert [p.name for p in corpus.iterdir()] == []


def test_add_url_follows_http_redirects_only(server, tmp_path, capsys):
    corpus = tmp_path / "c"
    code, out, err = run(capsys, "add", f"{server}/moved", f"{server}/to-ftp", "--corpus", str(corpus), "--json")
    moved, ftp = json.loads(out)
    assert moved["file"] == "pier-vote.html" and moved["articles"] == ["pier-vote"]  # named where it was found
    assert ftp["error"] == "the server redirected to ftp://, which is not fetched" and code == 1


def test_add_url_timeout(server, tmp_path, capsys):
    started = time.perf_counter()
    code, _, err = run(capsys, "add", f"{server}/slow", "--timeout", "0.5", "--corpus", str(tmp_path / "c"))
    assert code == 1 and "no answer within 0.5 s" in err and "--timeout" in err
    assert time.perf_counter() - started < 3
