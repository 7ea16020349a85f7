"""The cohort report in a real browser (headless Chromium): no sideways page scroll at 1280 and 390 px,
the grid sorts by a column heading under the page's own Content-Security-Policy, and screenshots.

The report is opened unchanged inside an iframe of a small harness page (same folder, file access
allowed), so its own script runs under its own CSP; the harness measures and clicks from outside and
writes what it saw into its DOM, which Chromium prints with --dump-dom.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from interviewcoach.cli import app
from tests.cohort_data import attempt, bundle, write

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

HARNESS = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="report.html" style="width:%dpx;height:900px;border:0"></iframe><pre id="out">pending</pre>
<script>
document.getElementById("f").addEventListener("load", function () {
  var d = this.contentDocument, w = this.contentWindow, r = {};
  r.inner = w.innerWidth; r.scroll = d.documentElement.scrollWidth;
  var grid = d.getElementById("grid");
  var names = function () {
    var rows = grid.tBodies[0].rows;
    return Array.prototype.map.call(rows, function (row) { return row.cells[0].textContent; });
  };
  r.before = names();
  var button = grid.querySelectorAll("thead th")[1].querySelector("button");
  r.button = !!button;
  if (button) { button.click(); r.after = names(); }
  document.getElementById("out").textContent = JSON.stringify(r);
});
</script></body></html>"""


def chromium(*args: str, profile: Path) -> str:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


@pytest.fixture()
def report(tmp_path: Path) -> Path:
    students = [
        ("Ada Lovelace", [attempt(overall=60, created_at="2026-11-01T09:00:00Z"), attempt(overall=80)]),
        ("Grace Hopper", [attempt(overall=91), attempt("why-ir", overall=70, covered=(True,))]),
        # A long unbroken name and transcript must wrap, not widen the page.
        ("Maximiliana" * 8, [attempt(overall=45, transcript="Radiology" * 300)]),
        ("Bo", []),
    ]
    paths = []
    for n, (name, attempts) in enumerate(students):
        data = bundle(name, email=f"s{n}@example.org", attempts=attempts)
        paths.append(str(write(tmp_path / f"s{n}.json", data)))
    runner = CliRunner()
    assert runner.invoke(app, ["cohort", "import", *paths]).exit_code == 0
    site = tmp_path / "site"
    site.mkdir()
    out = site / "report.html"
    result = runner.invoke(app, ["cohort", "report", "--set", "ir-2027", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


def measure(report: Path, width: int, profile: Path) -> dict[str, Any]:
    harness = report.parent / f"harness-{width}.html"
    harness.write_text(HARNESS % width, encoding="utf-8")
    dom = chromium(
        "--allow-file-access-from-files",
        "--virtual-time-budget=20000",
        "--dump-dom",
        harness.as_uri(),
        profile=profile,
    )
    found = re.search(r'<pre id="out">(.*?)</pre>', dom, re.DOTALL)
    assert found is not None, dom[-2000:]
    result: dict[str, Any] = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    return result


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("width", [1280, 390])
def test_no_sideways_scroll_and_sorting(report: Path, tmp_path: Path, width: int) -> None:
    seen = measure(report, width, tmp_path / "profile")
    assert seen["inner"] == width
    assert seen["scroll"] <= seen["inner"], seen
    # The page's own script ran under its CSP: headings became buttons, and Q1 sorts highest first.
    assert seen["button"] is True
    assert seen["before"][0].startswith("Ada Lovelace")
    assert seen["after"][0].startswith("Grace Hopper"), seen["after"]
    assert seen["after"][-1].startswith("Bo"), seen["after"]  # not yet attempted sorts last


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("size", [(1280, 900), (390, 844)])
def test_screenshots(report: Path, tmp_path: Path, size: tuple[int, int]) -> None:
    shot = tmp_path / f"report-{size[0]}.png"
    chromium(
        f"--screenshot={shot}",
        f"--window-size={size[0]},{size[1]}",
        "--hide-scrollbars",
        report.as_uri(),
        profile=tmp_path / "profile",
    )
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000
