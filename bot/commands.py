"""What every command's text has in common: the first word is a verb, the rest its
argument. Slack sends `&`, `<`, `>` of a command's text escaped; `split` gives them back
as typed. Help words are the same for every command.
"""
from __future__ import annotations

import unicodedata

from bot.slack.text import unescape

HELP_WORDS = frozenset({"", "hjälp", "hjalp", "help", "?"})


def fold(word: str) -> str:
    """A verb as compared: case-folded, accents dropped (`förläng`, `forlang`, `FÖRLÄNG`)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).rstrip(".!:")


def split(text: str | None) -> tuple[str, str]:
    """(folded first word, the rest as typed) of a command's Slack-escaped text."""
    plain = unescape(text or "").strip()
    word, _, rest = plain.partition(" ")
    if "\n" in word:
        word, _, more = word.partition("\n")
        rest = f"{more}\n{rest}" if rest else more
    return fold(word), rest.strip()


def is_help(word: str) -> bool:
    return word in HELP_WORDS
