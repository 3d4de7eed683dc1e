"""Time from process start to the first painted screen of a Textual app (run as a child process).

The parent records CLOCK_MONOTONIC just before it launches this script and passes it in
BENCH_T0_NS; on Linux `time.monotonic_ns()` reads the same clock in every process, so
`paint - T0` covers exec, interpreter start-up, imports, app construction, compose, layout and the
first frame. The app runs headless; the first frame is the first compositor update handed to
`App._display`, and we also render it to terminal bytes (what a real terminal would receive), which
headless mode would otherwise skip.

    python scripts/first_paint.py hello
    python scripts/first_paint.py briefing --corpus DIR [--ready]

With --ready the app keeps running after the first paint until its workers have been idle for a
moment (the briefing opened and analysed), so the parent's wait4() peak RSS covers a loaded reader.
The child leaves with os._exit as soon as it has its figure: no teardown is timed or waited for.
Writes one JSON object to --out (or stdout): {"paint_ms": ..., "ready_ms": ..., "peak_rss_mb": ...}.
"""

from __future__ import annotations

import os
import time

T0_NS = int(os.environ.get("BENCH_T0_NS") or time.monotonic_ns())

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402


def _hello_app():
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class HelloApp(App):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Hello")
            yield Footer()

    return HelloApp()


def _briefing_app(corpus: str):
    from briefing.tui.app import BriefingApp

    return BriefingApp(corpus=corpus)


def peak_rss_mb() -> float | None:
    """This process's peak resident memory since exec (VmHWM). The parent's wait4() figure is no
    good for this: Linux charges a child spawned by vfork/fork with the parent's RSS up to exec,
    and the benchmark parent holds a 10,000-article briefing at that moment."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("app", choices=("hello", "briefing"))
    parser.add_argument("--corpus")
    parser.add_argument("--ready", action="store_true", help="wait until the app's workers are idle")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--compare", action="store_true",
                        help="once ready, open the Compare view and time it to its first frame")
    parser.add_argument("--out")
    args = parser.parse_args()

    from textual.app import App

    app = _hello_app() if args.app == "hello" else _briefing_app(args.corpus)
    result: dict[str, float | None] = {"paint_ms": None, "ready_ms": None, "compare_open_ms": None}
    original = App._display
    compare_t0: list[int] = []

    def display(self, screen, renderable):
        original(self, screen, renderable)
        if compare_t0 and renderable is not None and self is app and result["compare_open_ms"] is None:
            from briefing.tui.screens.compare import CompareScreen

            if isinstance(screen, CompareScreen):
                try:
                    renderable.render_segments(self.console)
                except Exception:  # noqa: BLE001
                    pass
                result["compare_open_ms"] = (time.monotonic_ns() - compare_t0[0]) / 1e6
                finish()
            return
        if renderable is None or result["paint_ms"] is not None or self is not app:
            return
        try:  # what the terminal driver would have been sent (headless mode skips it)
            renderable.render_segments(self.console)
        except Exception:  # noqa: BLE001 - a non-compositor renderable: nothing more to do
            pass
        result["paint_ms"] = (time.monotonic_ns() - T0_NS) / 1e6
        if args.ready:
            app.set_timer(0.05, wait_ready)
        else:
            finish()

    idle_since: list[float] = []

    def wait_ready() -> None:
        busy = any(not w.is_finished for w in app.workers)
        now = time.monotonic()
        if busy:
            idle_since.clear()
        elif not idle_since:
            idle_since.append(now)
        elapsed = (time.monotonic_ns() - T0_NS) / 1e9
        if (idle_since and now - idle_since[0] >= 0.3) or elapsed > args.timeout:
            if idle_since:
                result["ready_ms"] = (idle_since[0] * 1e9 - T0_NS) / 1e6
            if args.compare and idle_since and getattr(app.reader, "comparison", None) is not None:
                compare_t0.append(time.monotonic_ns())  # from the key press to the view's first frame
                app.reader.action_compare()
                app.set_timer(30, finish)  # the view never painted: report what there is
                return
            finish()
        else:
            app.set_timer(0.05, wait_ready)

    def finish() -> None:
        # Report and leave at once: a worker thread still opening the briefing would otherwise keep
        # the process alive until it finishes, which is not what this measures.
        result["peak_rss_mb"] = peak_rss_mb()
        text = json.dumps(result)
        if args.out:
            with open(args.out, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
        os._exit(0 if result["paint_ms"] is not None else 1)

    App._display = display
    app.run(headless=True, size=(160, 48))
    finish()  # the app ended before painting (it failed): report nulls
    return 1


if __name__ == "__main__":
    sys.exit(main())
