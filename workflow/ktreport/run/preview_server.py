"""Outside the DAG: the preview's web server (``ktreport preview``), standard library only.

It serves the latest good page at ``/`` with a small script added (the preview's copy
only: the deliverable never has it), and the build state at ``/__preview/events`` as
server-sent events: ``{"version": n, "error": "…"}``. The script reloads the page when
the version changes (keeping the reader's place) and shows an error as an overlay over
the last good page until it is fixed. It binds to 127.0.0.1 only.
"""

from __future__ import annotations

import html
import json
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EVENTS = "/__preview/events"
HEARTBEAT = 10.0  # seconds between keep-alive events

SCRIPT = """<script id="ktreport-preview">(function () {
  var version = %(version)d, key = "ktreport-preview-scroll";
  var saved = sessionStorage.getItem(key);
  if (saved !== null) { sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, +saved); }); }
  function overlay(message) {
    var box = document.getElementById("ktreport-preview-error");
    if (!message) { if (box) box.remove(); return; }
    if (!box) { box = document.createElement("div"); box.id = "ktreport-preview-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;z-index:99999;" +
        "background:#fdecea;color:#a4161a;border:2px solid #a4161a;border-radius:6px;" +
        "padding:0.8rem 1rem;font:14px/1.4 'Liberation Mono',monospace;white-space:pre-wrap;" +
        "max-height:50vh;overflow:auto;box-shadow:0 4px 18px rgba(0,0,0,.25)";
      document.body.appendChild(box); }
    box.textContent = "The preview is not up to date:\\n" + message;
  }
  var events = new EventSource("%(events)s");
  events.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    overlay(state.error);
    if (!state.error && state.version !== version) {
      sessionStorage.setItem(key, String(window.scrollY)); location.reload(); }
  });
})();</script>"""

WAITING = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>ktreport preview</title></head><body><h1>ktreport preview</h1>
<p>%s</p><pre>%s</pre></body></html>"""
FIRST_BUILD = "The first build of the preview is running; the page appears when it is done."
FIRST_FAILED = "The first build of the preview failed; the page appears when this is fixed:"


@dataclass
class PreviewState:
    """The page and the build state that the server shows, shared with the builder."""

    page: bytes = b""
    version: int = 0
    error: str = ""
    changed: threading.Condition = field(default_factory=threading.Condition)
    stopping: threading.Event = field(default_factory=threading.Event)

    def publish(self, page: bytes | None, error: str = "") -> None:
        """A new good page (version + 1), or an error over the last good page."""
        with self.changed:
            if page is not None:
                self.page, self.version = page, self.version + 1
            self.error = error
            self.changed.notify_all()

    def wait_for_change(self, seen: tuple[int, str] | None, timeout: float) -> None:
        """Until the state differs from ``seen``, the server stops, or ``timeout``."""
        with self.changed:
            self.changed.wait_for(
                lambda: self.snapshot() != seen or self.stopping.is_set(), timeout=timeout
            )

    def snapshot(self) -> tuple[int, str]:
        with self.changed:  # an RLock: also called with the lock held
            return self.version, self.error


def with_script(page: bytes, version: int) -> bytes:
    """The page with the reload script before ``</body>`` (the preview's copy only)."""
    script = (SCRIPT % {"version": version, "events": EVENTS}).encode("utf-8")
    head, marker, tail = page.rpartition(b"</body>")
    return head + script + marker + tail if marker else page + script


def _handler(state: PreviewState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
            pass  # the terminal shows the builds, not every request

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            path = self.path.split("?", 1)[0]
            if path == EVENTS:
                return self._events()
            if path not in ("/", "/index.html"):
                return self.send_error(HTTPStatus.NOT_FOUND)
            with state.changed:
                page, version, error = state.page, state.version, state.error
            why = FIRST_FAILED if error else FIRST_BUILD
            body = page or (WAITING % (why, html.escape(error))).encode("utf-8")
            body = with_script(body, version)
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            sent: tuple[int, str] | None = None
            try:
                while not state.stopping.is_set():
                    current = state.snapshot()
                    if current != sent:
                        data = json.dumps({"version": current[0], "error": current[1]})
                        self.wfile.write(f"event: state\ndata: {data}\n\n".encode())
                        sent = current
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    state.wait_for_change(sent, HEARTBEAT)
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream never keeps the command from stopping


def start_server(state: PreviewState, port: int = 0) -> tuple[PreviewServer, threading.Thread]:
    """Serve ``state`` on 127.0.0.1:``port`` (0: a free port) in a background thread."""
    server = PreviewServer(("127.0.0.1", port), _handler(state))
    thread = threading.Thread(target=server.serve_forever, name="ktreport-preview", daemon=True)
    thread.start()
    return server, thread


def stop_server(state: PreviewState, server: PreviewServer) -> None:
    state.stopping.set()
    with state.changed:
        state.changed.notify_all()
    server.shutdown()
    server.server_close()
