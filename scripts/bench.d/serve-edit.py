"""How long `tsunagu serve` takes to show a one-file edit: the time from saving an entry file to
the moment its page, fetched over HTTP, has the new text (the watcher's wait for the end of the
editor's writes included). Prints the median in milliseconds, then every edit's time.

usage: serve-edit.py TSUNAGU SITE OUT EDITS
"""

import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

bin_, site, out, edits = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
log_path = Path(out).with_suffix(".serve.log")
log = open(log_path, "w", encoding="utf-8")
serve = subprocess.Popen(
    [bin_, "--root", str(site), "serve", "--port", str(port), "--out", out],
    stdout=log,
    stderr=subprocess.STDOUT,
)


def wait_for(what, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if serve.poll() is not None:
            sys.exit(f"tsunagu serve exited: {log_path.read_text(encoding='utf-8')[-2000:]}")
        if what():
            return
        time.sleep(0.005)
    sys.exit(f"timed out after {timeout} s: {log_path.read_text(encoding='utf-8')[-2000:]}")


def builds():
    return len(re.findall(r"^\d+ entries, \d+ pages", log_path.read_text(encoding="utf-8"), re.M))


try:
    wait_for(lambda: "で公開中です" in log_path.read_text(encoding="utf-8"), 300)
    entry = sorted(site.glob("content/entries/**/*.md"))[0]
    url = f"http://127.0.0.1:{port}/entries/{entry.stem}/"
    original = entry.read_text(encoding="utf-8")
    times = []
    for k in range(edits):
        done = builds()
        mark = f"編集{k}-{time.time_ns()}"
        started = time.monotonic()
        entry.write_text(original.rstrip("\n") + f"\n\n{mark}\n", encoding="utf-8")
        wait_for(lambda: mark in urllib.request.urlopen(url).read().decode("utf-8"), 60)
        times.append((time.monotonic() - started) * 1000)
        # The rest of the rebuild (search index, open data) ends before the next edit.
        wait_for(lambda: builds() > done, 120)
    entry.write_text(original, encoding="utf-8")
finally:
    serve.terminate()
    serve.wait(timeout=30)
print(f"{statistics.median(times):.0f}", " ".join(f"{t:.0f}" for t in times))
