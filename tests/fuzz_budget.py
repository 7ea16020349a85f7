"""A time and memory budget for every fuzz case, and the figures behind the fuzz report.

Each fuzzer is a `Fuzzer`: its cases run under a time budget (CPU seconds) and a memory budget
(the larger of the peak of Python allocations, measured with tracemalloc, and the growth of the
process's peak resident memory), and a case over either fails the test. While a case runs, the
process's address space is also capped a little above the budget, so a runaway case ends in
MemoryError instead of taking the machine down. Per fuzzer it records cases run, clean errors (the
program's own one-line refusals), tracebacks (anything else: target 0, and a failed test), worst
time and peak memory; `tests/conftest.py` prints them at the end of the session, and
`bench/hostile.py --fuzz` runs the fuzzers with more examples and prints the same table.

Two ways to use it:

    AUDIO = Fuzzer("audio headers")
    load_audio = AUDIO.wrap(load_audio)     # every call is a case; UserError counts as clean

    with JSONL.case() as case:              # the block is a case; say what a clean refusal is
        result = CliRunner().invoke(app, args, catch_exceptions=False)
        if result.exit_code == 2:
            case.clean_error(result.stderr)
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import resource
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from hypothesis import HealthCheck, settings

from interviewcoach.core.errors import UserError

P = ParamSpec("P")
R = TypeVar("R")

MB = 1024 * 1024
# CPU seconds, not wall time: the suite runs on shared machines, where wall time says more about
# the neighbours than about the case. A case that waits instead of working is caught by the wall
# limit, a multiple of the CPU budget.
DEFAULT_SECONDS = 5.0
WALL_FACTOR = 6
DEFAULT_MEGABYTES = 256
# The address-space cap during a case: the process's size when the case starts plus this many
# times the budget. Address space runs well ahead of resident memory (thread stacks, malloc
# arenas), so the cap is a backstop against a blow-up, not the budget itself.
CEILING_FACTOR = 4
# `bench/hostile.py --fuzz` sets these: more examples per fuzzer, and where to write the figures.
EXAMPLES_ENV = "INTERVIEWCOACH_FUZZ_EXAMPLES"
REPORT_ENV = "INTERVIEWCOACH_FUZZ_REPORT"


class BudgetExceeded(AssertionError):
    """A fuzz case took longer or more memory than its fuzzer allows."""


def examples(default: int) -> int:
    """The number of examples per fuzzer: `default` in the suite, more when the bench asks."""
    wanted = os.environ.get(EXAMPLES_ENV, "")
    return int(wanted) if wanted.isdigit() and int(wanted) > 0 else default


def fuzz_settings(max_examples: int, **kwargs: Any) -> settings:
    """Hypothesis settings for a budgeted fuzzer: the harness owns the time limit, not a deadline."""
    return settings(
        max_examples=examples(max_examples),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        **kwargs,
    )


@dataclass
class FuzzStats:
    """What one fuzzer did in this process."""

    name: str
    seconds_budget: float
    megabytes_budget: float
    cases: int = 0
    clean_errors: int = 0
    tracebacks: int = 0
    over_budget: int = 0
    worst_seconds: float = 0.0
    worst_wall_seconds: float = 0.0
    peak_python_mb: float = 0.0
    peak_rss_growth_mb: float = 0.0

    @property
    def peak_mb(self) -> float:
        return max(self.peak_python_mb, self.peak_rss_growth_mb)


REGISTRY: dict[str, FuzzStats] = {}


# --- memory ------------------------------------------------------------------------------------


def _status_kb(field_name: str) -> int | None:
    """A `kB` figure from /proc/self/status (VmHWM, VmRSS), or None where there is no /proc."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _rss_bytes() -> int:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return _maxrss_bytes()


def _vm_bytes() -> int | None:
    try:
        return int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _maxrss_bytes() -> int:
    # Linux reports kilobytes; macOS bytes.
    value = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return value if os.uname().sysname == "Darwin" else value * 1024


def _reset_peak_rss() -> bool:
    """Set the kernel's resident high-water mark to the current size (Linux 4.0+), if allowed.

    With it, the peak after a case is that case's own; without it only growth past the process's
    earlier peak can be seen.
    """
    try:
        with Path("/proc/self/clear_refs").open("w") as handle:
            handle.write("5")
    except OSError:
        return False
    return _status_kb("VmHWM") is not None


class _Usage:
    """CPU and wall time, peak Python allocations and resident-memory growth over one case."""

    def __init__(self) -> None:
        self.own_tracing = not tracemalloc.is_tracing()
        if self.own_tracing:
            tracemalloc.start()
        else:
            tracemalloc.reset_peak()
        self.python_base = tracemalloc.get_traced_memory()[0]
        self.hwm_reset = _reset_peak_rss()
        self.rss_base = _rss_bytes()
        self.maxrss_base = _maxrss_bytes()
        self.cpu = time.process_time()
        self.wall = time.perf_counter()
        self.python_mb = self.rss_mb = 0.0

    def stop(self) -> None:
        """Turn the start figures into what the case used."""
        self.cpu = time.process_time() - self.cpu
        self.wall = time.perf_counter() - self.wall
        python_peak = tracemalloc.get_traced_memory()[1] - self.python_base
        if self.own_tracing:
            tracemalloc.stop()
        hwm = _status_kb("VmHWM") if self.hwm_reset else None
        if hwm is not None:
            growth = hwm * 1024 - self.rss_base
        else:
            growth = max(_maxrss_bytes() - self.maxrss_base, _rss_bytes() - self.rss_base)
        self.python_mb = max(python_peak, 0) / MB
        self.rss_mb = max(growth, 0) / MB

    @property
    def megabytes(self) -> float:
        return max(self.python_mb, self.rss_mb)


@contextlib.contextmanager
def _address_space_cap(extra_bytes: int) -> Iterator[None]:
    """Cap the address space at its current size plus `extra_bytes` while the block runs."""
    size = _vm_bytes()
    if size is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = size + extra_bytes
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


# --- cases -------------------------------------------------------------------------------------


class Case:
    """One fuzz case in progress: lets the body say that the program refused the input cleanly."""

    def __init__(self) -> None:
        self.clean = False
        self.message = ""

    def clean_error(self, message: str = "") -> None:
        """The program refused the input in its own words (a UserError, exit 2 and one line)."""
        self.clean = True
        self.message = message


@dataclass
class Fuzzer:
    """A named fuzzer with a per-case budget; see the module docstring."""

    name: str
    seconds: float = DEFAULT_SECONDS
    megabytes: float = DEFAULT_MEGABYTES
    clean: tuple[type[BaseException], ...] = (UserError,)
    stats: FuzzStats = field(init=False)

    def __post_init__(self) -> None:
        self.stats = REGISTRY.setdefault(self.name, FuzzStats(self.name, self.seconds, self.megabytes))

    @contextlib.contextmanager
    def case(self) -> Iterator[Case]:
        """Run the block as one case: measured, budgeted, its outcome counted."""
        case = Case()
        usage = _Usage()
        try:
            with _address_space_cap(int(self.megabytes * CEILING_FACTOR * MB)):
                yield case
        except BaseException as exc:
            usage.stop()
            if type(exc).__module__.startswith("hypothesis"):
                raise  # Hypothesis's own control flow (assume(), end of data): not a case
            clean = isinstance(exc, self.clean)
            case.clean = case.clean or clean
            # A failed check in the test is a test failure, not a traceback from the program.
            self._count(case, None if clean or isinstance(exc, AssertionError) else exc, usage)
            if isinstance(exc, MemoryError):
                raise BudgetExceeded(
                    f"{self.name}: a case ran out of its {self.megabytes * CEILING_FACTOR:g} MB"
                    f" address-space cap (budget {self.megabytes:g} MB)"
                ) from exc
            if clean:
                self._check(usage)
            raise
        usage.stop()
        self._count(case, None, usage)
        self._check(usage)

    def _over(self, usage: _Usage) -> str:
        """What the case went over, or ''."""
        if usage.cpu > self.seconds:
            return f"a case took {usage.cpu:.2f} s of CPU; the budget is {self.seconds:g} s"
        if usage.wall > self.seconds * WALL_FACTOR:
            return f"a case took {usage.wall:.2f} s; the limit is {self.seconds * WALL_FACTOR:g} s"
        if usage.megabytes > self.megabytes:
            return (
                f"a case used {usage.python_mb:.0f} MB of Python allocations and grew the resident"
                f" size by {usage.rss_mb:.0f} MB; the budget is {self.megabytes:g} MB"
            )
        return ""

    def _count(self, case: Case, failure: BaseException | None, usage: _Usage) -> None:
        stats = self.stats
        stats.cases += 1
        if failure is not None:
            stats.tracebacks += 1
        elif case.clean:
            stats.clean_errors += 1
        stats.worst_seconds = max(stats.worst_seconds, usage.cpu)
        stats.worst_wall_seconds = max(stats.worst_wall_seconds, usage.wall)
        stats.peak_python_mb = max(stats.peak_python_mb, usage.python_mb)
        stats.peak_rss_growth_mb = max(stats.peak_rss_growth_mb, usage.rss_mb)
        stats.over_budget += bool(self._over(usage))

    def _check(self, usage: _Usage) -> None:
        over = self._over(usage)
        if over:
            raise BudgetExceeded(f"{self.name}: {over}")

    def wrap(self, func: Callable[P, R]) -> Callable[P, R]:
        """`func` with every call run as one case; its exceptions pass through, counted."""

        @functools.wraps(func)
        def budgeted(*args: P.args, **kwargs: P.kwargs) -> R:
            with self.case():
                return func(*args, **kwargs)

        return budgeted


# --- report ------------------------------------------------------------------------------------

COLUMNS = (
    f"{'fuzzer':<30} {'cases':>6} {'clean err':>9} {'traceback':>9} {'CPU s':>6} {'wall s':>6}"
    f" {'py MB':>6} {'RSS MB':>6}"
)


def rows() -> list[FuzzStats]:
    return [stats for stats in REGISTRY.values() if stats.cases]


def format_row(stats: FuzzStats) -> str:
    over = f"  {stats.over_budget} over budget" if stats.over_budget else ""
    return (
        f"{stats.name:<30} {stats.cases:>6} {stats.clean_errors:>9} {stats.tracebacks:>9}"
        f" {stats.worst_seconds:>6.2f} {stats.worst_wall_seconds:>6.2f}"
        f" {stats.peak_python_mb:>6.1f} {stats.peak_rss_growth_mb:>6.1f}{over}"
    )


def report_lines() -> list[str]:
    """The table: one row per fuzzer that ran, with its budget."""
    table = rows()
    if not table:
        return []
    budgets = sorted({(s.seconds_budget, s.megabytes_budget) for s in table})
    budget = "; ".join(f"{sec:g} CPU s and {mb:g} MB" for sec, mb in budgets)
    return [
        COLUMNS,
        *(format_row(stats) for stats in table),
        f"budget per case: {budget}; tracebacks: target 0. Worst case per column; py MB: peak"
        " Python allocations (tracemalloc), RSS MB: peak resident growth",
    ]


def write_json(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(stats) for stats in rows()], indent=1) + "\n", encoding="utf-8")


def terminal_summary(reporter: Any, config: Any) -> None:
    """Print the table at the end of a pytest session, and save it as JSON when there is a place."""
    lines = report_lines()
    if not lines:
        return
    reporter.write_sep("=", "fuzz budget")
    for line in lines:
        reporter.write_line(line)
    target = os.environ.get(REPORT_ENV)
    if target:
        write_json(Path(target))
    elif getattr(config, "cache", None) is not None:
        path = Path(config.cache.mkdir("fuzz")) / "report.json"
        write_json(path)
        reporter.write_line(f"saved in {path}")
