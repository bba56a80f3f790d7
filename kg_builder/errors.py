"""Domain errors: each names the file, the place and what was expected (cf. Catala's NoValue/Conflict)."""
from __future__ import annotations


class PolicyInputError(Exception):
    """Input that cannot be processed. `str(err)` is one line fit for stderr."""

    def __init__(self, source: str, problem: str, *, where: str | None = None, expected: str | None = None):
        self.source, self.problem, self.where, self.expected = source, problem, where, expected
        parts = [source + (f":{where}" if where else ""), problem]
        if expected:
            parts.append(f"expected {expected}")
        super().__init__(": ".join(parts))


class ReviewConflict(Exception):
    """A review edit was based on a version of a fact that has changed since."""
