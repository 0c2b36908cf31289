"""What ``citycoop audit verify`` reports: how many events it read, the head
of the global chain recomputed from the log beside the head sealed, the first
findings of an altered log, and whether the log extends a head kept elsewhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .global_chain import Head
from .record_chains import Finding

MAX_FINDINGS = 20


@dataclass
class Verification:
    events: int
    head: Head
    """The global chain recomputed from the log alone."""
    sealed: Head
    """How far the chain's table had been extended (``audit seal``)."""
    findings: list[Finding] = field(default_factory=list)
    """The first findings, in log order."""
    findings_total: int = 0
    expected: str | None = None
    expected_at: int | None = None
    """Where the log's chain passes through the expected head, if it does."""

    @property
    def ok(self) -> bool:
        return self.findings_total == 0 and (self.expected is None or self.expected_at is not None)

    def add(self, finding: Finding) -> None:
        self.findings_total += 1
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(finding)

    def summary(self) -> str:
        """One line for people; the first finding when there is one."""
        if self.findings:
            return f"the log was altered: {self.findings_total} finding(s); the first at {self.findings[0]}"
        if self.expected is not None and self.expected_at is None:
            return (
                f"the log does not extend the sealed head {self.expected}: it was rewritten, or sealed with another key"
            )
        return f"the log is intact: {self.events} events, head at position {self.head.position}"

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "summary": self.summary(),
            "events": self.events,
            "head": {"position": self.head.position, "hash": self.head.hash},
            "sealed": {"position": self.sealed.position, "hash": self.sealed.hash},
            "expected": None if self.expected is None else {"hash": self.expected, "position": self.expected_at},
            "findings_total": self.findings_total,
            "findings": [
                {
                    "kind": f.kind,
                    "position": f.position,
                    "record_id": None if f.record_id is None else str(f.record_id),
                    "version": f.version,
                    "detail": f.detail,
                }
                for f in self.findings
            ],
        }
