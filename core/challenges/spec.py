"""The Challenges page's parameters: the teacher's set (in order), what the learner solved, the challenge shown."""

from __future__ import annotations

from dataclasses import dataclass

from core.challenges.catalog import IDS
from core.spec import Choice, Names, Refusal, param, spec_of


@dataclass(frozen=True, kw_only=True)
class OrderedNames(Names):
    """A comma-separated subset of `allowed` kept in the order written (a teacher's order); a repeat is refused."""

    def parse(self, raw: str) -> tuple[str, ...]:
        names = tuple(part.strip() for part in raw.split(",") if part.strip())
        if not set(names) <= set(self.allowed) or len(set(names)) != len(names):
            raise Refusal()
        return names


@dataclass(frozen=True, kw_only=True)
class ChallengesState:
    """Which challenges, in which order; which are solved (kept in the link); which one is shown."""

    set: tuple[str, ...] = param(OrderedNames(allowed=IDS), IDS, "challenges offered, in the teacher's order")
    solved: tuple[str, ...] = param(Names(allowed=IDS), (), "challenges solved")
    challenge: str = param(Choice(choices=IDS), IDS[0], "the challenge shown", aliases=("--id",))


SPEC = spec_of(ChallengesState, "challenges")
