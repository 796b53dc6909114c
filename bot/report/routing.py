"""What `/lagesbild …` asks for: the words after the command, parsed.

    /lagesbild                      the modal
    /lagesbild <text>               quick report (the text is "Läge nu")
    /lagesbild inget                inget nytt att rapportera
    /lagesbild status               who has reported, who has not
    /lagesbild hjälp                the command's help
    /lagesbild ordinarie [...]      the same, for the ordinary conference while activated mode runs

Slack sends `&`, `<` and `>` of a slash command's text as `&amp;`, `&lt;`, `&gt;`; they
are decoded here, so the stored text is what the person typed (it is escaped again, once,
whenever it is shown).
"""
from __future__ import annotations

from bot.slack.text import unescape

import re
from dataclasses import dataclass

MODAL, QUICK, NOTHING, STATUS, HELP = "modal", "quick", "nothing", "status", "help"

_NOTHING_WORDS = {"inget", "inget nytt", "inget nytt att rapportera", "inget att rapportera", "ingenting",
                  "nothing", "nothing new", "nothing new to report"}  # English region's help says `nothing`
_STATUS_WORDS = {"status"}
_HELP_WORDS = {"hjälp", "hjalp", "help", "?"}
_ORDINARY_WORDS = {"ordinarie", "ord", "ordinarie:"}


@dataclass(frozen=True)
class Command:
    verb: str
    text: str = ""  # QUICK: the report text (without the `ordinarie` keyword)
    ordinary: bool = False  # the `ordinarie` keyword was given
    full_text: str = ""  # the whole text as typed (decoded): the report if `ordinarie` was just a word

    def without_keyword(self) -> "Command":
        """The command as if `ordinarie` were part of the text (no activated mode runs, so
        the word cannot have been meant as the keyword: "Ordinarie verksamhet, inga störningar")."""
        if self.ordinary and self.verb == QUICK:
            return Command(QUICK, self.full_text, False, self.full_text)
        return self


def decode(text: str) -> str:
    """Slack's three entities back to characters (see bot.slack.text.unescape)."""
    return unescape(text)


def parse(raw: str | None) -> Command:
    return parse_decoded(decode(raw or ""))


def parse_decoded(text: str) -> Command:
    full = text.strip()
    ordinary = False
    body = full
    m = re.match(r"(\S+)\s*(.*)\Z", full, re.S)
    if m and m.group(1).casefold() in _ORDINARY_WORDS:
        ordinary, body = True, m.group(2).strip()
    word = " ".join(body.casefold().split()).rstrip(".!")
    if not body:
        verb = MODAL
    elif word in _STATUS_WORDS:
        verb = STATUS
    elif word in _NOTHING_WORDS:
        verb = NOTHING
    elif word in _HELP_WORDS:
        verb = HELP
    else:
        verb = QUICK
    return Command(verb, body if verb == QUICK else "", ordinary, full)
