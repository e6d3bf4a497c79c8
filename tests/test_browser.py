"""The weekly page in headless Chromium: the chart is drawn, dark mode applies, a phone needs no sideways scrolling.

Each check loads the real weekly briefing with a small script that measures the
laid-out page and writes its findings into the DOM, which `--dump-dom` prints.
Set BRIEFING_SCREENSHOTS to also keep screenshots (1280 and 390 px, light and
dark) to look at. Skipped where Chromium is not installed (`.ci/run` installs it).
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from digest.config import Config
from digest.period import Kind, Period
from digest.pipeline import run
from digest.summarize import SummaryOptions
from digest.render import render

from conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")

MEASURE = """
<script>
addEventListener("load", () => {
  const px = (el) => el.getBoundingClientRect();
  const chart = document.querySelector("svg.week-chart");
  const cells = [...document.querySelectorAll("table.counts td, table.counts th")];
  const line = parseFloat(getComputedStyle(document.querySelector("table.counts td")).lineHeight);
  const bar = chart.querySelector("rect.c-economy:not([y='6'])");
  const found = {
    viewport: innerWidth,
    pageWidth: document.documentElement.scrollWidth,
    chartWidth: px(chart).width,
    chartBars: chart.querySelectorAll("rect").length,
    tableRight: Math.max(...cells.map((c) => px(c).right)),
    tallestCell: Math.max(...cells.map((c) => px(c).height)),
    line: line,
    dark: matchMedia("(prefers-color-scheme: dark)").matches,
    pageBackground: getComputedStyle(document.querySelector("main")).backgroundColor,
    text: getComputedStyle(document.body).color,
    barFill: getComputedStyle(bar).fill,
  };
  parent.postMessage(JSON.stringify(found), "*");
});
</script>
"""
# Headless windows are at least 500 px wide, so the page is measured in a frame of the phone's width.
FRAME = """<!doctype html><html><body style="margin:0">
<iframe src="measured.html" width="{width}" height="1600" style="border:0"></iframe>
<script>addEventListener("message", (e) => document.body.setAttribute("data-measured", e.data));</script>
</body></html>"""


@pytest.fixture(scope="module")
def weekly_page(tmp_path_factory):
    briefing = run([ROOT / "examples"], Period.parse(Kind.WEEKLY, "2026-W03"), Config(summary=SummaryOptions(backend="extractive")))
    html = render(briefing, "html", Config()).decode()
    folder = tmp_path_factory.mktemp("browser")
    (folder / "weekly.html").write_text(html, encoding="utf-8")
    (folder / "measured.html").write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    nonzero = sum(1 for _, counts in briefing.day_counts for _, n in counts if n)
    return folder, nonzero


def chromium(folder: Path, page: str, width: int, dark: bool, *action: str) -> str:
    profile = folder / f"profile-{width}-{dark}"
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
               "--hide-scrollbars", f"--window-size={width},1600", *(["--force-dark-mode"] if dark else []),
               *action, (folder / page).as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def measure(folder: Path, width: int, dark: bool = False) -> dict:
    (folder / f"frame-{width}.html").write_text(FRAME.format(width=width), encoding="utf-8")
    dom = chromium(folder, f"frame-{width}.html", max(width, 500), dark, "--virtual-time-budget=5000", "--dump-dom")
    match = re.search(r'data-measured="([^"]*)"', dom)
    assert match, "the measuring script did not run"
    found = json.loads(match[1].replace("&quot;", '"'))
    keep = os.environ.get("BRIEFING_SCREENSHOTS")
    if keep:
        target = Path(keep) / f"weekly-{width}{'-dark' if dark else ''}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        chromium(folder, "weekly.html", width, dark, f"--screenshot={target}")
    return found


def test_desktop_chart_draws_every_day_and_category(weekly_page):
    folder, nonzero = weekly_page
    found = measure(folder, 1280)
    assert found["chartBars"] == nonzero + 5  # one block per (day, category) with posts, plus the legend
    assert 400 <= found["chartWidth"] <= 560
    assert found["pageWidth"] <= 1280 and not found["dark"]
    assert found["pageBackground"] == "rgb(255, 255, 255)" and found["barFill"] == "rgb(29, 78, 216)"


def test_phone_needs_no_sideways_scrolling_and_table_cells_stay_on_one_line(weekly_page):
    folder, _ = weekly_page
    found = measure(folder, 390)
    assert found["viewport"] == 390 and found["pageWidth"] <= 390
    assert found["tableRight"] <= 390  # the whole table is visible, not behind a scroll bar
    assert found["tallestCell"] < 1.6 * found["line"] + 8  # no cell wraps (it wrapped a character per line)
    assert found["chartWidth"] >= 340


def test_dark_mode_follows_the_system_setting(weekly_page):
    folder, _ = weekly_page
    found = measure(folder, 390, dark=True)
    assert found["dark"]
    assert found["pageBackground"] == "rgb(22, 27, 34)" and found["text"] == "rgb(230, 237, 243)"
    assert found["barFill"] == "rgb(138, 180, 255)"  # the chart's colours switch too
