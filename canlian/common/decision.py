from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    ok: bool
    text: str  # Chinese, shown to officers and residents as is

    def __str__(self) -> str:
        return ("✔ " if self.ok else "✘ ") + self.text


@dataclass(frozen=True)
class Decision:
    """The outcome of a rule with every reason it checked, passed or failed."""

    allowed: bool
    reasons: tuple[Reason, ...]

    @classmethod
    def of(cls, reasons: list[Reason]) -> "Decision":
        return cls(allowed=all(r.ok for r in reasons), reasons=tuple(reasons))

    @property
    def failures(self) -> list[str]:
        return [r.text for r in self.reasons if not r.ok]
