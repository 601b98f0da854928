"""The critical path method on plain data: known answers for every link type, lags and cycles."""

from __future__ import annotations

import pytest

from steward.projects.scheduling import CycleError, critical_path, find_cycle


def test_textbook_network_finish_to_start():
    # A(3) → B(4) → D(2); A → C(2) → D.  Critical: A, B, D (9 days); C has 2 days of slack.
    durations = {"A": 3, "B": 4, "C": 2, "D": 2}
    links = [("A", "B", "fs", 0), ("A", "C", "fs", 0), ("B", "D", "fs", 0), ("C", "D", "fs", 0)]
    timings, finish = critical_path(durations, links)
    assert finish == 9
    assert (timings["B"].early_start, timings["B"].early_finish) == (3, 7)
    assert (timings["C"].early_start, timings["C"].late_start, timings["C"].slack) == (3, 5, 2)
    assert [k for k, t in timings.items() if t.critical] == ["A", "B", "D"]


def test_lag_and_lead():
    timings, finish = critical_path({"A": 5, "B": 5}, [("A", "B", "fs", 2)])
    assert timings["B"].early_start == 7 and finish == 12
    timings, finish = critical_path({"A": 5, "B": 5}, [("A", "B", "fs", -2)])
    assert timings["B"].early_start == 3 and finish == 8


def test_start_to_start_finish_to_finish_and_start_to_finish():
    timings, _ = critical_path({"A": 10, "B": 4}, [("A", "B", "ss", 3)])
    assert timings["B"].early_start == 3
    timings, finish = critical_path({"A": 10, "B": 4}, [("A", "B", "ff", 2)])
    assert (timings["B"].early_start, timings["B"].early_finish, finish) == (8, 12, 12)
    timings, _ = critical_path({"A": 10, "B": 4}, [("A", "B", "sf", 6)])
    assert (timings["B"].early_start, timings["B"].early_finish) == (2, 6)
    assert timings["B"].late_finish == 10 and timings["B"].slack == 4


def test_backward_pass_honours_link_types():
    # B hangs start-to-start on C: it may start as late as C does, but must finish by the project end.
    timings, finish = critical_path({"A": 10, "B": 2, "C": 1}, [("A", "C", "fs", 0), ("B", "C", "ss", 0)])
    assert finish == 11
    assert timings["B"].late_start == 9 and timings["B"].slack == 9  # it must still end by the project end
    assert timings["A"].critical and timings["C"].critical


def test_milestones_and_unlinked_tasks():
    timings, finish = critical_path({"kick-off": 0, "work": 4, "alone": 1}, [("kick-off", "work", "fs", 0)])
    assert timings["kick-off"].early_finish == 0 and finish == 4
    assert timings["alone"].slack == 3


def test_cycle_is_named_in_order():
    with pytest.raises(CycleError) as error:
        critical_path({"A": 1, "B": 1, "C": 1, "D": 1},
                      [("A", "B", "fs", 0), ("B", "C", "fs", 0), ("C", "A", "fs", 0), ("C", "D", "fs", 0)])  # fmt: skip
    assert error.value.cycle in (["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"])
    assert str(error.value).count("→") == 3


def test_find_cycle():
    assert find_cycle([(1, 2), (2, 3)]) is None
    assert find_cycle([(1, 1)]) == [1]
    cycle = find_cycle([(1, 2), (2, 3), (3, 4), (4, 2)])
    assert sorted(cycle) == [2, 3, 4]


def test_unknown_activity_is_refused():
    with pytest.raises(KeyError):
        critical_path({"A": 1}, [("A", "Z", "fs", 0)])
