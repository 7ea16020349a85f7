"""The fuzz harness itself: a case over its time or memory budget fails, and outcomes are counted.

The fuzzers' figures are only worth reporting if a case that blows up is caught, so each budget is
shown to fail here on a case that exceeds it.
"""

from __future__ import annotations

import mmap
import time
from collections.abc import Iterator

import numpy as np
import pytest

from interviewcoach.core.errors import UserError
from tests import fuzz_budget
from tests.fuzz_budget import BudgetExceeded, Fuzzer, report_lines


@pytest.fixture()
def fuzzer(request: pytest.FixtureRequest) -> Iterator[Fuzzer]:
    """A fuzzer of this test's own, left out of the session's report."""
    name = f"self-test {request.node.name}"
    yield Fuzzer(name, seconds=2, megabytes=64)
    del fuzz_budget.REGISTRY[name]


def test_outcomes_are_counted(fuzzer: Fuzzer) -> None:
    with fuzzer.case():
        pass
    with fuzzer.case() as case:
        case.clean_error("refused")
    with pytest.raises(UserError), fuzzer.case():
        raise UserError("one line")
    with pytest.raises(KeyError), fuzzer.case():
        raise KeyError("a traceback")
    assert fuzzer.wrap(lambda x: x + 1)(1) == 2
    stats = fuzzer.stats
    assert (stats.cases, stats.clean_errors, stats.tracebacks, stats.over_budget) == (5, 2, 1, 0)
    assert any(line.startswith(fuzzer.name) for line in report_lines())


def test_python_allocations_over_the_budget_fail_the_case(fuzzer: Fuzzer) -> None:
    with pytest.raises(BudgetExceeded, match="MB of Python allocations"), fuzzer.case():
        block = np.ones(100 * 2**20, dtype=np.uint8)  # 100 MB, written, so resident too
        del block
    assert fuzzer.stats.peak_python_mb >= 100 and fuzzer.stats.over_budget == 1


def test_resident_growth_tracemalloc_cannot_see_fails_the_case(fuzzer: Fuzzer) -> None:
    """Memory outside Python's allocator (a C library's, here an anonymous map) still counts."""
    with pytest.raises(BudgetExceeded, match="grew the resident size"), fuzzer.case():
        area = mmap.mmap(-1, 100 * 2**20)
        for offset in range(0, len(area), mmap.PAGESIZE):
            area[offset] = 1
        area.close()
    assert fuzzer.stats.peak_rss_growth_mb >= 90 and fuzzer.stats.peak_python_mb < 10


def test_a_runaway_allocation_stops_at_the_cap_instead_of_taking_the_machine(fuzzer: Fuzzer) -> None:
    with pytest.raises(BudgetExceeded, match="address-space cap"), fuzzer.case():
        np.ones(8 * 2**30, dtype=np.uint8)  # 8 GiB: far past the 256 MB cap
    assert fuzzer.stats.tracebacks == 1


def test_cpu_time_over_the_budget_fails_the_case(fuzzer: Fuzzer) -> None:
    with pytest.raises(BudgetExceeded, match="of CPU"), fuzzer.case():
        end = time.process_time() + 2.2
        while time.process_time() < end:
            pass
    assert fuzzer.stats.worst_seconds > 2


def test_a_clean_error_over_the_budget_still_fails(fuzzer: Fuzzer) -> None:
    def refuse_after_allocating() -> None:
        block = np.ones(100 * 2**20, dtype=np.uint8)
        raise UserError(f"refused after {block.size} bytes")

    with pytest.raises(BudgetExceeded):
        fuzzer.wrap(refuse_after_allocating)()
