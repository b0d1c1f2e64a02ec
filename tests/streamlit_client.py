"""A Streamlit session without a browser: Streamlit's own websocket protocol (BackMsg/ForwardMsg protobufs).

One `open_page` call is one visitor: it connects to /_stcore/stream (through a proxy, with its affinity
cookie), asks for a page with a query string, and reads ForwardMsgs until the script run finishes,
collecting what a test or a benchmark looks at: metrics, alerts, exceptions and download URLs.
"""

from __future__ import annotations

import time
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect


@dataclass
class PageRun:
    """What one script run sent: seconds to script_finished, and the elements a check needs."""

    seconds: float = 0.0
    finished: bool = False
    metrics: dict[str, str] = field(default_factory=dict)
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (format, body): error, warning, info, success
    exceptions: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return self.exceptions + [body for kind, body in self.alerts if kind == "ERROR"]


def affinity_cookie(base: str) -> str:
    """The cookie a proxy sets on the first request (empty without a proxy), as a Cookie header value."""
    with urllib.request.urlopen(f"{base}/", timeout=30) as response:
        return "; ".join(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or [])


def open_page(base: str, page: str, query: str = "", cookie: str = "", locale: str = "en-US", timeout_s=120) -> PageRun:
    """Run `page` (a url path, "" for home) with `query` in a fresh session, as a browser's first visit does."""
    run = PageRun()
    started = time.perf_counter()
    headers = {"Cookie": cookie} if cookie else {}
    url = base.replace("http", "ws", 1) + "/_stcore/stream"
    with connect(url, subprotocols=["streamlit"], origin=base, additional_headers=headers, max_size=None) as socket:
        request = BackMsg()
        request.rerun_script.query_string = query
        request.rerun_script.page_name = page
        request.rerun_script.context_info.locale = locale
        socket.send(request.SerializeToString())
        while time.perf_counter() - started < timeout_s:
            message = ForwardMsg()
            message.ParseFromString(socket.recv(timeout=timeout_s))
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                _collect(run, message.delta.new_element)
            if kind == "script_finished":
                run.finished = True
                break
    run.seconds = time.perf_counter() - started
    return run


def _collect(run: PageRun, element) -> None:
    kind = element.WhichOneof("type")
    if kind == "metric":
        run.metrics[element.metric.label] = element.metric.body
    elif kind == "alert":
        run.alerts.append((element.alert.Format.Name(element.alert.format), element.alert.body))
    elif kind == "exception":
        run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
    elif kind == "download_button":
        run.downloads.append(element.download_button.url)


def fetch_status(base: str, path: str, cookie: str = "") -> int:
    """The HTTP status of GET `path` (e.g. a download's media URL), with the session's cookie."""
    request = urllib.request.Request(f"{base}{path}", headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
