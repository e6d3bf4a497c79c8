"""The weekly page and email in headless Chromium: the chart is drawn, dark mode applies, a phone needs no sideways scrolling.

Each check loads the real weekly briefing with a small script that measures the
laid-out page and writes its findings into the DOM, which `--dump-dom` prints.
Set BRIEFING_SCREENSHOTS to also keep screenshots (1280 and 390 px, light and
dark) to look at. Skipped where Chromium is not installed (`.ci/run` installs it).
"""

import email
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from email import policy

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
<iframe src="{page}" width="{width}" height="1600" style="border:0"></iframe>
<script>addEventListener("message", (e) => document.body.setAttribute("data-measured", e.data));</script>
</body></html>"""


@pytest.fixture(scope="module")
def weekly_page(tmp_path_factory):
    briefing = run([ROOT / "examples"], Period.parse(Kind.WEEKLY, "2026-W03"), Config(summary=SummaryOptions(backend="extractive")))
    html = render(briefing, "html", Config()).decode()
    folder = tmp_path_factory.mktemp("browser")
    (folder / "weekly.html").write_text(html, encoding="utf-8")
    (folder / "weekly-measured.html").write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
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


def measure(folder: Path, width: int, dark: bool = False, name: str = "weekly") -> dict:
    """What `name`-measured.html's script found at `width`; a screenshot of `name`.html if asked for."""
    frame = f"frame-{name}-{width}.html"
    (folder / frame).write_text(FRAME.format(width=width, page=f"{name}-measured.html"), encoding="utf-8")
    dom = chromium(folder, frame, max(width, 500), dark, "--virtual-time-budget=5000", "--dump-dom")
    match = re.search(r'data-measured="([^"]*)"', dom)
    assert match, "the measuring script did not run"
    found = json.loads(match[1].replace("&quot;", '"'))
    keep = os.environ.get("BRIEFING_SCREENSHOTS")
    if keep:
        target = Path(keep) / f"{name}-{width}{'-dark' if dark else ''}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        chromium(folder, f"{name}.html", width, dark, f"--screenshot={target}")
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


MEASURE_EMAIL = """
<script>
addEventListener("load", () => {
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  const found = {
    dark: matchMedia("(prefers-color-scheme: dark)").matches,
    pageWidth: document.documentElement.scrollWidth,
    background: style("body").backgroundColor,
    card: style("table.dm-page").backgroundColor,
    text: style("table.dm-page").color,
    link: style("a.dm-link").color,
    muted: style(".dm-muted").color,
    marker: style("span.dm-c-economy").color,
    heading: style("th.dm-soft").backgroundColor,
    cellBorder: style("td.dm-line").borderTopColor,
  };
  parent.postMessage(JSON.stringify(found), "*");
});
</script>
"""


@pytest.fixture(scope="module")
def weekly_email(tmp_path_factory):
    """The HTML part of the weekly email as sent, with and without the measuring script."""
    briefing = run([ROOT / "examples"], Period.parse(Kind.WEEKLY, "2026-W03"), Config(summary=SummaryOptions(backend="extractive")))
    message = email.message_from_bytes(render(briefing, "email", Config()), policy=policy.default)
    html = message.get_body(("html",)).get_content()
    folder = tmp_path_factory.mktemp("email")
    (folder / "email.html").write_text(html, encoding="utf-8")
    (folder / "email-measured.html").write_text(html.replace("</body>", MEASURE_EMAIL + "</body>"), encoding="utf-8")
    return folder


def test_email_turns_dark_where_the_client_keeps_its_style_block(weekly_email):
    found = measure(weekly_email, 390, dark=True, name="email")
    assert found["dark"] and found["pageWidth"] <= 390
    assert found["background"] == "rgb(13, 17, 23)" and found["card"] == "rgb(22, 27, 34)"
    assert found["text"] == "rgb(230, 237, 243)" and found["link"] == "rgb(156, 194, 255)"
    assert found["muted"] == "rgb(157, 167, 179)" and found["marker"] == "rgb(138, 180, 255)"
    assert found["heading"] == "rgb(31, 38, 48)" and found["cellBorder"] == "rgb(48, 54, 61)"


def test_email_stays_light_by_default(weekly_email):
    found = measure(weekly_email, 390, name="email")
    assert not found["dark"] and found["pageWidth"] <= 390
    assert found["background"] == "rgb(244, 245, 247)" and found["card"] == "rgb(255, 255, 255)"
    assert found["text"] == "rgb(31, 35, 40)" and found["link"] == "rgb(11, 61, 145)"
    assert found["marker"] == "rgb(29, 78, 216)" and found["heading"] == "rgb(246, 248, 250)"
