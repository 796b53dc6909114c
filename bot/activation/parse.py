"""What `/aktivera …` asks for: the first word is a verb, or the whole text is a reason.

    /aktivera | /aktivera status        STATUS (with nothing active, bare /aktivera: HELP too)
    /aktivera hjälp | ?                 HELP
    /aktivera avstämning 14:00          AVSTAMNING
    /aktivera fas <aktör> <fas>         PHASE
    /aktivera kalla <aktör|@medlem>     CALL_IN, only while an activation runs: with nothing
                                        active, "kalla …" is read as a reason
    /aktivera <anledning>               START

The argument is returned as Slack sent it (escaped, mentions as <@U…|name>); each flow
turns it into plain text the way it needs.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot import commands

HELP, STATUS, AVSTAMNING, PHASE, CALL_IN, START = "help", "status", "avstamning", "phase", "call_in", "start"
AVSTAMNING_WORDS = ("avstamning", "avst")  # folded: avstämning
PHASE_WORDS = ("fas",)
CALL_IN_WORDS = ("kalla",)


@dataclass(frozen=True)
class Command:
    verb: str
    arg: str  # the rest (START: the whole text), Slack-escaped


def parse(text: str | None, *, active: bool) -> Command:
    raw = (text or "").strip()
    first, _, rest = raw.partition(" ")
    word, rest = commands.fold(first), rest.strip()
    if not raw or word == "status":
        return Command(STATUS, "")
    if commands.is_help(word):
        return Command(HELP, "")
    if word in AVSTAMNING_WORDS:
        return Command(AVSTAMNING, rest)
    if word in PHASE_WORDS:
        return Command(PHASE, rest)
    if word in CALL_IN_WORDS and active:
        return Command(CALL_IN, rest)
    return Command(START, raw)
