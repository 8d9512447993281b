"""Length budgets: ``150w`` (words), ``5s`` (sentences), ``665b`` (bytes), ``auto``.

``auto`` is one rule computed from the input only (never from references or
ids): 150 words plus 30 per article, at most 400 words. Tuned on the
Multi-News dev sample, whose references average about 230 words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import InputError

DEFAULT_LENGTH = "150w"
AUTO = "auto"
_UNITS = {"w": "words", "s": "sentences", "b": "bytes"}
_RE = re.compile(r"^\s*(\d+)\s*([wsb])\s*$", re.I)


@dataclass(frozen=True)
class Budget:
    amount: int
    unit: str  # "words" | "sentences" | "bytes"

    @classmethod
    def parse(cls, spec: str | int | Budget | None) -> Budget:
        if spec is None:
            spec = DEFAULT_LENGTH
        if isinstance(spec, Budget):
            return spec
        if isinstance(spec, int) and not isinstance(spec, bool):  # True is no word count
            spec = f"{spec}w"
        m = _RE.match(str(spec))
        if not m or int(m.group(1)) <= 0:
            raise InputError(
                f"invalid length {spec!r}: use a positive number followed by "
                "w (words), s (sentences) or b (bytes), e.g. 150w, 5s, 665b, or auto"
            )
        return cls(int(m.group(1)), _UNITS[m.group(2).lower()])

    def __str__(self) -> str:
        return f"{self.amount}{self.unit[0]}"

    def cost(self, text: str) -> int:
        """What ``text`` costs against this budget."""
        if self.unit == "words":
            return len(text.split())
        if self.unit == "sentences":
            return 1
        return len(text.encode("utf-8"))

    def total(self, texts: list[str]) -> int:
        """Cost of the texts joined by single spaces."""
        if self.unit == "bytes":
            return len(" ".join(texts).encode("utf-8"))
        return sum(self.cost(t) for t in texts)

    def truncate(self, text: str) -> str:
        """Cut ``text`` to at most the budget (for evaluation at a cap)."""
        if self.unit == "words":
            return " ".join(text.split()[: self.amount])
        if self.unit == "bytes":
            raw = text.encode("utf-8")[: self.amount]
            return raw.decode("utf-8", errors="ignore")
        raise ValueError("a sentence budget cannot truncate free text")


def is_auto(spec: object) -> bool:
    return isinstance(spec, str) and spec.strip().lower() == AUTO


def auto_budget(documents: Sequence[str]) -> Budget:
    """The ``auto`` length rule: a word budget computed from the input size."""
    n = len([d for d in documents if d.strip()])
    return Budget(int(min(400, 150 + 30 * n)), "words")


def resolve(spec: str | int | Budget | None, documents: Sequence[str]) -> Budget:
    """``spec`` as a budget; ``auto`` is computed from ``documents``."""
    return auto_budget(documents) if is_auto(spec) else Budget.parse(spec)
