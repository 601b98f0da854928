"""Timing, statistics and result files shared by every benchmark."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank-free linear percentile (q in 0..100) of ``samples``."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary_ms(samples: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples]
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "min_ms": round(min(ms), 3),
        "max_ms": round(max(ms), 3),
    }


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleave(rounds: int, contenders: dict[str, Callable[[], Any]]) -> dict[str, list[float]]:
    """Run every contender once per round, alternating who goes first, so drift hits all alike."""
    names = list(contenders)
    samples: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        order = names if r % 2 == 0 else list(reversed(names))
        for name in order:
            samples[name].append(timed(contenders[name]))
    return samples


@dataclass
class Context:
    size: int
    rounds: int
    engine: str
    seed: int
    extra: dict[str, Any] = field(default_factory=dict)


def git_revision() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def write_result(name: str, ctx: Context, payload: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    path = RESULTS_DIR / f"{name}-{ctx.engine}-{stamp}.json"
    document = {
        "benchmark": name,
        "engine": ctx.engine,
        "size": ctx.size,
        "rounds": ctx.rounds,
        "seed": ctx.seed,
        "timestamp": stamp,
        "git": git_revision(),
        "python": platform.python_version(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        **payload,
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    return path


def ratio(product: float, comparator: float) -> float:
    return round(product / comparator, 2) if comparator else float("inf")


def verdict(problems: list[str]) -> int:
    """Print each problem as a FAILED line; the exit status of a pass/fail battery."""
    for problem in problems:
        print(f"FAILED: {problem}")
    return 1 if problems else 0
