"""Reports of saved attempts: HTML that escapes everything and stands alone, safe Markdown, full JSON."""

from __future__ import annotations

import json
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest

from interviewcoach.core.errors import UserError
from interviewcoach.core.history.doctor import doctor
from interviewcoach.core.history.export import ReportInfo, md, render, sparkline, trend_of, write_report
from interviewcoach.core.history.store import Attempt, Store
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
    allowed |= {
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
        "span",
        "blockquote",
        "header",
        "section",
        "div",
    }
    assert set(parsed.tags) <= allowed, set(parsed.tags) - allowed
    # The only links are to the report's own sections; nothing is loaded from anywhere.
    hrefs = [v for k, v in parsed.attrs if k == "href"]
    assert hrefs and all(v is not None and v.startswith("#attempt-") for v in hrefs)
    assert not any(k == "src" or k.startswith("on") for k, _ in parsed.attrs)
    # The text reads back exactly as it was said.
    text = "".join(parsed.text)
    for original in (HOSTILE, HOSTILE_QUESTION, "Mentor <script>x</script>", "Talking <points>"):
        assert original in text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quoted&#34;" in page


def test_html_stands_alone(attempts: list[Attempt]) -> None:
    page = render(attempts, "html", info())
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "default-src 'none'" in page and "<style>" in page
    assert "http://" not in page.replace("http://evil.example", "") and "https://" not in page
    assert 'id="attempt-' in page and "Progress by question" in page
    # A report is sent to someone else: no local paths.
    assert attempts[0].audio_path is not None and str(attempts[0].audio_path.parent) not in page


def test_markdown_escapes_markup_and_raw_html(attempts: list[Attempt]) -> None:
    text = render(attempts, "md", info())
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;" in text
    assert text.startswith("# Report for &lt;Dr\\. Smith&gt; &amp; co") or text.startswith(
        "# Report for &lt;Dr. Smith&gt; &amp; co"
    )
    assert "| Brief |" in text and "## Progress by question" in text


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
    (pending,) = doctor(store, min_age_s=0).imported
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


# ---------------------------------------------------------------------------------------------------
# The per-student report of a set, as an advisor reads it (`export --set ID`), through the CLI.

REPEATS = (
    "My long-term goal is interventional radiology. I placed ports in the IR suite with the team, and "
    "the IR suite is where I want to be. I saw a patient with a GI bleed embolized there."
)


def _cli(*args: str) -> tuple[int, str, str]:
    from typer.testing import CliRunner

    from interviewcoach.cli import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _report(data: Path, fmt: str, *extra: str) -> str:
    code, out, err = _cli(
        "export", "--set", "cohort-a", "--format", fmt, "--out", "-", "--data-dir", str(data), *extra
    )
    assert code == 0, err
    return out


def _section(page: str, attempt_id: int) -> str:
    """One attempt's part of an HTML report: from its anchor to the next attempt's (or the end)."""
    start = page.index(f'id="attempt-{attempt_id}"')
    after = page.find('id="attempt-', start + 1)
    return page[start : after if after != -1 else len(page)]


def _text(page: str) -> str:
    parsed = _Collector()
    parsed.feed(page)
    return " ".join(" ".join(parsed.text).split())


@pytest.fixture()
def cohort(tmp_path: Path) -> Path:
    from tests.student_data import DR_STRONG, DR_WEAK, LOW_SCORE, practise

    data = tmp_path / "data"
    practise(data, tmp_path / "set", [("low-score", LOW_SCORE), ("dr-backup-plan", DR_WEAK)])
    # Made after the advisor updated the set to version 2.
    practise(
        data,
        tmp_path / "set",
        [("dr-backup-plan", DR_STRONG), ("dr-backup-plan", REPEATS)],
        set_version=2,
        first_day=10,
    )
    assert _cli("profile", "--name", "Ana Ruiz", "--cohort", "2027", "--data-dir", str(data))[0] == 0
    return data


def test_the_students_name_is_in_the_title_and_header(cohort: Path) -> None:
    page = _report(cohort, "html")
    title = page[page.index("<title>") : page.index("</title>")]
    header = page[page.index("<h1") : page.index("</h1>")]
    assert "Ana Ruiz" in title and "Ana Ruiz" in header
    other = _report(cohort, "html", "--student", "Ben Cho")
    assert other[other.index("<title>") : other.index("</title>")] != title
    assert _report(cohort, "md").startswith("# Ana Ruiz: ")
    assert json.loads(_report(cohort, "json"))["student"]["name"] == "Ana Ruiz"


def test_progress_compares_each_question_with_itself(cohort: Path) -> None:
    store = Store(cohort)
    low, weak, strong, repeats = store.attempts()
    assert {low.question_id} != {weak.question_id}
    data = json.loads(_report(cohort, "json"))
    progress = {row["question_id"]: row for row in data["questions"]}
    dr = progress["dr-backup-plan"]
    assert (dr["attempts"], dr["first"], dr["latest"]) == (3, weak.overall, repeats.overall)
    assert dr["best"] == max(a.overall or 0 for a in (weak, strong, repeats))
    assert (progress["low-score"]["attempts"], progress["low-score"]["first"]) == (1, low.overall)
    # The summary table comes first: question, attempts, first, latest, best.
    page = _report(cohort, "html")
    summary = page[page.index('id="summary"') : page.index("</table>", page.index('id="summary"'))]
    assert page.index('id="summary"') < page.index('id="attempt-')
    assert _text(summary).count("If you match diagnostic radiology") == 1
    for head in ("Question", "Attempts", "First", "Latest", "Best"):
        assert f">{head}</th>" in summary
    # Never "Overall first -> latest" across different questions.
    assert f"{low.overall} → {repeats.overall}" not in _text(page)
    assert "Trends" not in page


def test_unattempted_questions_instructions_and_follow_ups_are_shown(cohort: Path) -> None:
    for fmt in ("html", "md"):
        text = _report(cohort, fmt)
        text = _text(text) if fmt == "html" else text
        assert "Answer aloud; one calm sentence of fact first." in text
        assert "Would you be happy as a diagnostic radiologist?" in text
        assert "not attempted yet" in text and "2 am" in text.lower()  # angio-suite-2am
    data = json.loads(_report(cohort, "json"))
    assert data["set"]["instructions"].startswith("Answer aloud")
    assert [q["question_id"] for q in data["questions"] if q["attempts"] == 0] == ["angio-suite-2am"]


def test_the_rubrics_own_criterion_names_are_kept(cohort: Path) -> None:
    low, weak, *_ = Store(cohort).attempts()
    page = _report(cohort, "html")
    dr_part = _text(_section(page, weak.id))
    assert "Length" in dr_part and "Brief" not in dr_part
    assert "Brief" in _text(_section(page, low.id))  # the shipped setback rubric's own name
    md_text = _report(cohort, "md")
    dr_md = md_text[md_text.index(f"Attempt {weak.id}") :]
    assert "### Length" in dr_md[: dr_md.index("\n## Attempt")]


def test_evidence_is_listed_once(cohort: Path) -> None:
    repeats = Store(cohort).attempts()[-1]
    part = _section(_report(cohort, "html"), repeats.id)
    assert _text(part).count("“IR suite”") == 1
    md_text = _report(cohort, "md")
    assert md_text[md_text.index(f"Attempt {repeats.id}") :].count("“IR suite”") == 1


def test_each_attempt_shows_the_set_version_it_was_made_with(cohort: Path) -> None:
    _, weak, strong, _ = Store(cohort).attempts()
    page = _report(cohort, "html")
    assert "set cohort-a v1" in _text(_section(page, weak.id))
    assert "set cohort-a v2" in _text(_section(page, strong.id))
    assert "set cohort-a v2" in _report(cohort, "md")


def test_advisor_comments_are_in_the_students_report(cohort: Path, tmp_path: Path) -> None:
    weak = Store(cohort).attempts()[1]
    comments = {
        "format": "interviewcoach-comments",
        "format_version": 1,
        "set_id": "cohort-a",
        "student": {"name": "Ana Ruiz"},
        "author": "Dr. Okafor",
        "exported_at": "2026-12-06T09:00:00Z",
        "comments": [
            {"attempt_uid": weak.uid, "created_at": "2026-12-06T08:00:00Z", "text": "Say <ESIR> early."}
        ],
        "overrides": [
            {"attempt_uid": weak.uid, "point": "ESIR <or> the independent IR pathway", "covered": True}
        ],
    }
    file = tmp_path / "c.json"
    file.write_text(json.dumps(comments), encoding="utf-8")
    assert _cli("comments", "import", str(file), "--data-dir", str(cohort))[0] == 0
    page = _report(cohort, "html")
    part = _section(page, weak.id)
    assert "Advisor's comments" in _text(part) and "Say <ESIR> early." in _text(part)
    assert "Say &lt;ESIR&gt; early." in part
    assert "Dr. Okafor marks talking point “ESIR <or> the independent IR pathway” as covered" in _text(part)
    assert "Say &lt;ESIR&gt; early." in _report(cohort, "md")
    shown = json.loads(_report(cohort, "json"))
    comments = next(a["advisor_comments"] for a in shown["attempts"] if a["uid"] == weak.uid)
    assert comments[0]["text"] == "Say <ESIR> early."


def test_the_html_report_comes_from_a_packaged_template() -> None:
    from importlib.resources import files

    template = files("interviewcoach.core.history") / "templates" / "report.html.j2"
    assert template.is_file() and "{{" in template.read_text(encoding="utf-8")


def _browser() -> str | None:
    import shutil

    return next(
        (p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))), None
    )


def _headless(browser: str, profile: Path, *args: str) -> str:
    import subprocess

    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False).stdout


@pytest.mark.slow
@pytest.mark.skipif(_browser() is None, reason="needs a headless Chromium to lay the page out")
def test_the_html_fits_a_phone_and_prints_compactly(tmp_path: Path) -> None:
    import html as html_lib
    import re

    from tests.student_data import DR_STRONG, DR_WEAK, LOW_SCORE, practise

    browser = _browser()
    assert browser is not None
    more = (
        " On my IR rotation I followed a patient with a GI bleed through embolization, and I saw how the "
        "team "
        "worked at two in the morning. I learned to prepare the night before, to read the images, and to ask "
        "the fellow what they would do. My evaluations say I am calm, prepared and easy to work with."
    )
    answers = [
        ("dr-backup-plan", DR_WEAK + more),
        ("low-score", LOW_SCORE + more),
        ("dr-backup-plan", DR_STRONG + more),
        ("low-score", LOW_SCORE + more + more),
        ("dr-backup-plan", DR_STRONG + more + more),
        ("angio-suite-2am", more + more),
        ("low-score", LOW_SCORE + more),
        ("dr-backup-plan", DR_WEAK + more),
    ]
    data = tmp_path / "data"
    practise(data, tmp_path / "set", answers)
    page = _report(data, "html", "--student", "Ana Ruiz")
    report = tmp_path / "report.html"
    report.write_text(page, encoding="utf-8")

    # 8 attempts print on far fewer than 16 pages (each attempt kept whole where it fits).
    pdf = tmp_path / "report.pdf"
    _headless(browser, tmp_path / "p1", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri())
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))
    assert 1 <= pages <= 10, pages

    # On a 390 px wide phone nothing scrolls sideways: the page inside a 390 px frame is 390 px wide.
    # (The probe's script needs the page without its no-script policy; the frame shares its origin.)
    probe_page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    frame = tmp_path / "frame.html"
    frame.write_text(
        '<!DOCTYPE html><html><body><iframe id="f" style="width:390px;height:800px;border:0" '
        f'srcdoc="{html_lib.escape(probe_page, quote=True)}"></iframe><script>'
        'document.getElementById("f").addEventListener("load", function () {'
        " var d = this.contentDocument.documentElement;"
        ' document.body.setAttribute("data-width", d.scrollWidth + "/" + d.clientWidth); });'
        "</script></body></html>",
        encoding="utf-8",
    )
    dom = _headless(
        browser,
        tmp_path / "p2",
        "--virtual-time-budget=5000",
        "--window-size=800,900",
        "--dump-dom",
        frame.as_uri(),
    )
    width = re.search(r'data-width="(\d+)/(\d+)"', dom)
    assert width is not None, dom[-500:]
    assert int(width.group(1)) <= int(width.group(2)) == 390


@pytest.mark.slow
@pytest.mark.skipif(_browser() is None, reason="needs a headless Chromium to lay the page out")
def test_on_a_phone_a_criterions_name_has_the_whole_line(tmp_path: Path) -> None:
    # Seen at 390 px: the stacked verdict kept the name cell at 22% of the width, so "Reflection"
    # broke as "Reflectio / n" and "Answers the question" took three lines.
    import html as html_lib
    import re

    from tests.student_data import LOW_SCORE, practise

    browser = _browser()
    assert browser is not None
    data = tmp_path / "data"
    practise(data, tmp_path / "set", [("low-score", LOW_SCORE)])
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", _report(data, "html"))
    frame = tmp_path / "frame.html"
    frame.write_text(
        '<!DOCTYPE html><html><body><iframe id="f" style="width:390px;height:800px;border:0" '
        f'srcdoc="{html_lib.escape(page, quote=True)}"></iframe><script>'
        'document.getElementById("f").addEventListener("load", function () {'
        ' var d = this.contentDocument, name = d.querySelector("table.verdicts td");'
        " var row = name.parentElement.getBoundingClientRect().width;"
        ' document.body.setAttribute("data-width", Math.round(name.getBoundingClientRect().width) + "/"'
        " + Math.round(row)); });"
        "</script></body></html>",
        encoding="utf-8",
    )
    options = ("--virtual-time-budget=5000", "--window-size=800,900", "--dump-dom")
    dom = _headless(browser, tmp_path / "p", *options, frame.as_uri())
    width = re.search(r'data-width="(\d+)/(\d+)"', dom)
    assert width is not None, dom[-500:]
    assert int(width.group(1)) >= 0.9 * int(width.group(2)), width.group(0)
