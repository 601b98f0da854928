"""Human references: Sequence.take hands out numbers once, even to concurrent writers."""

import threading

import pytest
from django.db import close_old_connections, connection

from steward.core.models import ReferenceMixin, Sequence


class FakeIncident(ReferenceMixin):
    """Only the class-level formatting is used; an abstract model needs no table or migration."""

    reference_prefix = "INC"

    class Meta:
        abstract = True
        app_label = "core"


class FakeRisk(ReferenceMixin):
    reference_prefix = "RISK-"
    reference_digits = 4

    class Meta:
        abstract = True
        app_label = "core"


def test_format_reference_pads_to_the_declared_digits():
    assert FakeIncident.format_reference(42) == "INC0000042"
    assert FakeRisk.format_reference(7) == "RISK-0007"
    assert FakeRisk.format_reference(123456) == "RISK-123456"  # grows rather than truncates


@pytest.mark.django_db
def test_take_is_sequential_per_name():
    assert [Sequence.take("a") for _ in range(3)] == [1, 2, 3]
    assert Sequence.take("b") == 1
    assert Sequence.take("a", count=5) == 8
    assert Sequence.objects.get(name="a").value == 8


@pytest.mark.django_db
def test_allocate_references_reserves_a_contiguous_block():
    assert FakeRisk.allocate_references(1) == ["RISK-0001"]
    assert FakeRisk.allocate_references(3) == ["RISK-0002", "RISK-0003", "RISK-0004"]
    assert Sequence.objects.get(name=FakeRisk._meta.label_lower).value == 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocation_gives_no_duplicates():
    threads_n, per_thread = 6, 15
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads_n)

    def worker() -> None:
        try:
            start.wait()
            taken = [Sequence.take("concurrent") for _ in range(per_thread)]
            with lock:
                results.extend(taken)
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert sorted(results) == list(range(1, threads_n * per_thread + 1))
    assert Sequence.objects.get(name="concurrent").value == threads_n * per_thread


@pytest.mark.django_db(transaction=True)
def test_concurrent_block_allocation_gives_disjoint_blocks():
    threads_n = 5
    blocks: list[list[str]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(threads_n)

    def worker() -> None:
        try:
            start.wait()
            for _ in range(5):
                blocks.append(FakeIncident.allocate_references(4))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    refs = [r for block in blocks for r in block]
    assert len(refs) == len(set(refs)) == threads_n * 5 * 4
    assert sorted(refs) == [FakeIncident.format_reference(n) for n in range(1, 101)]


def test_sqlite_takes_the_write_lock_at_begin():
    """Concurrent writers rely on BEGIN IMMEDIATE on SQLite (queue on the lock, never upgrade-fail)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert connection.settings_dict["TEST"]["NAME"], "threads need a file database, not :memory:"
