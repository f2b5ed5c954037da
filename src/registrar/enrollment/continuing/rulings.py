"""The verdicts of one request's K-12 rules: refused at the first broken rule, or all noted.

A real request stops at the first rule it breaks and answers it in the seed's words. A dry run
notes every rule's verdict and goes on, so one answer says all that stands in the way: the
request's own rules (standing, homeroom, load) and, subject by subject, the schedule's.
Errors in the request itself (an unknown student, school year or subject, a missing field)
are not rules: both answer them at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from registrar.enrollment.continuing.standing import Refusal
from registrar.errors import RegistrarError

ENROLLED = "ENROLLED"
REFUSED = "REFUSED"


class ContinuingRefused(RegistrarError):
    """A request the K-12 rules refuse: always 400 on this endpoint."""

    status_code = 400
    code = "continuing_refused"


class MissingFields(ContinuingRefused):
    """The seed's "Missing required fields", naming the fields in `fields`."""

    def __init__(self, fields: Sequence[str]) -> None:
        super().__init__("Missing required fields", details={"fields": list(fields)})


@dataclass(frozen=True)
class Ruling:
    """One rule's verdict: passed, or the refusal a real request would answer."""

    rule: str
    refusal: Refusal | None = None

    @property
    def passed(self) -> bool:
        """Whether the rule lets the request through."""
        return self.refusal is None


@dataclass
class SubjectRulings:
    """One subject's verdicts, and the schedule a real request would take for it."""

    subject: str
    schedule: str | None = None
    rulings: list[Ruling] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """ENROLLED when every rule passed, else REFUSED (a K-12 schedule keeps no waitlist)."""
        return ENROLLED if all(r.passed for r in self.rulings) else REFUSED


class Rulings:
    """Where the rules' verdicts go: raised at once (`refusing`) or all noted (`noting`)."""

    def __init__(self, *, dry_run: bool) -> None:
        self.dry_run = dry_run
        self.request: list[Ruling] = []
        self._subjects: dict[str, SubjectRulings] = {}

    @classmethod
    def refusing(cls) -> Rulings:
        """A real request's: the first broken rule is refused."""
        return cls(dry_run=False)

    @classmethod
    def noting(cls) -> Rulings:
        """A dry run's: every verdict is kept and nothing is refused."""
        return cls(dry_run=True)

    def rule(self, rule: str, refusal: Refusal | None, *, subject: str | None = None) -> None:
        """A rule's verdict on the request, or on one of its subjects (by course code)."""
        if not self.dry_run:
            if refusal is not None:
                raise ContinuingRefused(refusal.message, details=refusal.details)
            return
        into = self.request if subject is None else self.of(subject).rulings
        _keep(into, Ruling(rule, refusal))

    def of(self, subject: str) -> SubjectRulings:
        """The verdicts on one subject, in the order its subjects were first judged."""
        return self._subjects.setdefault(subject, SubjectRulings(subject))

    @property
    def subjects(self) -> list[SubjectRulings]:
        """Every subject judged, in the request's order."""
        return list(self._subjects.values())

    def overall(self) -> list[Ruling]:
        """Each rule once for the whole request: the request's own verdicts, then each rule
        the subjects were judged by, failed where any subject fails it (named in `subjects`)."""
        merged: list[Ruling] = []
        for ruling in self.request:
            _keep(merged, ruling)
        failing: dict[str, list[str]] = {}
        for subject in self.subjects:
            for ruling in subject.rulings:
                if not ruling.passed:
                    failing.setdefault(ruling.rule, []).append(subject.subject)
                _keep(merged, ruling)
        return [_naming(ruling, failing.get(ruling.rule, [])) for ruling in merged]

    @property
    def outcome(self) -> str:
        """ENROLLED when every rule on the request and on each subject passed, else REFUSED."""
        return ENROLLED if all(r.passed for r in self.overall()) else REFUSED


def _keep(rulings: list[Ruling], ruling: Ruling) -> None:
    """Add a verdict; a rule judged twice (by K-12 and by the engine) keeps its first failure."""
    for index, kept in enumerate(rulings):
        if kept.rule == ruling.rule:
            if kept.passed and not ruling.passed:
                rulings[index] = ruling
            return
    rulings.append(ruling)


def _naming(ruling: Ruling, subjects: list[str]) -> Ruling:
    """A failed verdict with the subjects that fail it beside its own details."""
    if ruling.refusal is None or not subjects:
        return ruling
    details = {**ruling.refusal.details, "subjects": subjects}
    return replace(ruling, refusal=replace(ruling.refusal, details=details))
