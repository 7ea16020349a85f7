"""Reports of saved attempts: HTML that escapes everything and stands alone, safe Markdown, full JSON."""

from __future__ import annotations

import json
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest

from interviewcoach.core.errors import UserError
from interviewcoach.core.export import ReportInfo, md, render, sparkline, trend_of, write_report
from interviewcoach.core.store import Attempt, Store
from tests.history_data import make_score, write_wav

HOSTILE = "I said <script>alert('x')</script> & \"quoted\" <img src=x onerror=alert(1)> </blockquote>"
HOSTILE_QUESTION = "Why <b>IR</b>? <a href='http://evil.example'>click</a>"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture()
def attempts(tmp_path: Path) -> list[Attempt]:
    store = Store(tmp_path / "data", keep_audio=True)
    first = make_score(overall=40, text=HOSTILE, criteria={"brevity": 0.3, "talking_points": 0.25})
    second = make_score(overall=75, text="A calm answer about Step 2 CK.", criteria={"brevity": 0.8})
    ids = [
        store.save_attempt(first, set_id="ir-low-score", audio_path=write_wav(tmp_path / "a.wav")),
        store.save_attempt(second, set_id="ir-low-score"),
    ]
    with store._write() as conn:
        conn.execute("UPDATE attempts SET question_text = ? WHERE id = ?", (HOSTILE_QUESTION, ids[0]))
    return [store.get(i) for i in ids]


def info() -> ReportInfo:
    return ReportInfo(
        title="Report for <Dr. Smith> & co",
        facts={"Set": "IR <low> score", "Author": "Mentor <script>x</script>"},
        notes=["Instructions with <i>markup</i> & ampersands"],
        criterion_names={"brevity": "Brief", "talking_points": "Talking <points>"},
    )


def test_html_escapes_everything_from_transcripts_questions_and_sets(attempts: list[Attempt]) -> None:
    page = render(attempts, "html", info())
    parsed = _Collector()
    parsed.feed(page)
    allowed = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "ul", "li", "strong"}
    allowed |= {"table", "thead", "tbody", "tr", "th", "td", "a", "span", "blockquote"}
    assert set(parsed.tags) <= allowed, set(parsed.tags) - allowed
    # The only links are to the report's own sections; nothing is loaded from anywhere.
    hrefs = [v for k, v in parsed.attrs if k == "href"]
    assert hrefs and all(v is not None and v.startswith("#attempt-") for v in hrefs)
    assert not any(k == "src" or k.startswith("on") for k, _ in parsed.attrs)
    # The text reads back exactly as it was said.
    text = "".join(parsed.text)
    for original in (HOSTILE, HOSTILE_QUESTION, "Mentor <script>x</script>", "Talking <points>"):
        assert original in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in page


def test_html_stands_alone(attempts: list[Attempt]) -> None:
    page = render(attempts, "html", info())
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "default-src 'none'" in page and "<style>" in page
    assert "http://" not in page.replace("http://evil.example", "") and "https://" not in page
    assert 'id="attempt-' in page and "Trends" in page
    # A report is sent to someone else: no local paths.
    assert attempts[0].audio_path is not None and str(attempts[0].audio_path.parent) not in page


def test_markdown_escapes_markup_and_raw_html(attempts: list[Attempt]) -> None:
    text = render(attempts, "md", info())
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;" in text
    assert text.startswith("# Report for &lt;Dr\\. Smith&gt; &amp; co") or text.startswith(
        "# Report for &lt;Dr. Smith&gt; &amp; co"
    )
    assert "| Brief |" in text and "## Trends" in text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("*bold* and _it_", "\\*bold\\* and \\_it\\_"),
        ("# not a heading", "\\# not a heading"),
        ("- not a list", "\\- not a list"),
        ("1. not a list", "1\\. not a list"),
        ("a | b", "a \\| b"),
        ("[link](http://x)", "\\[link\\](http://x)"),
        ("line one\nline two", "line one line two"),
        ("Step 2 - 255.", "Step 2 - 255."),
    ],
)
def test_md_escaping(raw: str, expected: str) -> None:
    assert md(raw) == expected


def test_json_has_every_attempt_in_full_and_the_trends(attempts: list[Attempt]) -> None:
    data = json.loads(render(attempts, "json", info()))
    assert data["format"] == "interviewcoach-export" and data["version"] == 1
    assert [a["id"] for a in data["attempts"]] == [a.id for a in attempts]
    first = data["attempts"][0]
    assert "audio_path" not in first and first["audio_exists"] is True
    assert first["score"]["answer"] == HOSTILE
    assert first["score"]["transcript"]["words"][0] == {
        "word": "I",
        "start": 0.0,
        "end": 0.3,
        "probability": 1.0,
    }
    assert first["score"]["criteria"]["talking_points"]["score"] == 0.25
    assert [p["value"] for p in data["trends"]["overall"]] == [40.0, 75.0]
    assert [p["value"] for p in data["trends"]["criteria"]["brevity"]] == [0.3, 0.8]
    assert data["facts"]["Author"] == "Mentor <script>x</script>"


def test_trend_and_sparkline(attempts: list[Attempt]) -> None:
    trend = trend_of(list(reversed(attempts)))
    assert [p.attempt_id for p in trend.overall] == [a.id for a in attempts]
    assert list(trend.criteria) == ["brevity", "talking_points"]
    assert sparkline([0.0, 0.5, 1.0]) == "▁▅█"
    assert sparkline([40, 75], 100) == "▄▆"


def test_pending_and_no_answer_attempts_render(tmp_path: Path) -> None:
    store = Store(tmp_path / "d")
    write_wav(store.audio_dir / "20250101-120000-000000-low-score.wav")
    (pending,) = store.doctor(min_age_s=0).imported
    short = store.save_attempt(make_score(overall=0, no_answer=True, text="I don't know."))
    chosen = [store.get(pending), store.get(short)]
    for fmt in ("md", "html"):
        text = render(chosen, fmt, ReportInfo(title="t"))  # type: ignore[arg-type]
        assert "Walk me through your board scores" in text
        assert "not scored yet" in text and "no answer" in text
        assert "Not transcribed or scored yet" in text
    data = json.loads(render(chosen, "json", ReportInfo(title="t")))
    assert [a["status"] for a in data["attempts"]] == ["pending", "scored"]
    assert data["attempts"][0]["score"] is None
    assert data["trends"] == {"overall": [], "criteria": {}}  # nothing judged yet


def test_write_report_is_private_and_checks_the_target(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    write_report("<p>hi</p>", out)
    assert out.read_text() == "<p>hi</p>" and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    with pytest.raises(UserError, match="is a folder"):
        write_report("x", tmp_path)
    with pytest.raises(UserError, match="no such folder"):
        write_report("x", tmp_path / "missing" / "r.md")
