"""Demo data of the catalogue and requests (filled in below)."""

from __future__ import annotations

import random


def load(*, rng: random.Random, scale: float = 1.0) -> str:
    return ""
