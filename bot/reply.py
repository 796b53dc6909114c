"""The one shape of every entry into the core.

A flow takes the context, the acting Slack user and plain values:

    def flow(ctx: BotContext, user: str, ...plain values) -> Reply

It returns one `Reply` (what that person sees) or raises one `Refusal` (why not; nothing
has changed). It never talks to Slack itself: what others must see goes into the outbox
in the flow's transaction; a Slack call that must happen during the flow (creating a
channel) is passed in by the handler as a plain callable.

`handlers/boundary.py` is the only place that turns these into Slack answers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

Page = dict[str, Any]  # {"text": fallback, "blocks": [...]} of one ephemeral message

MAX_FOLLOW_UPS = 5  # response_url takes 5 posts; the acknowledgement itself is the first page


@dataclass(frozen=True)
class Reply:
    """What the person who acted sees.

    - `text` (+ `blocks`): the first ephemeral message (the acknowledgement).
    - `more`: further ephemeral pages, sent through response_url (at most MAX_FOLLOW_UPS).
    - `view`: a modal. From a command or button it is opened with the trigger id; from a
      block action inside a modal it replaces that modal; in a view submission it
      replaces the submitted modal.
    - `close`: in a view submission, close the modal (no message).
    - `after`: work the stored change causes beyond itself, run after the answer is sent.
    - `then_reply`: slow work (a Slack call such as creating a channel) done after the
      answer is sent, under the same error boundary; its Reply follows through
      response_url ("creating the channel…", then "activated in #channel").
    An empty reply (no text, blocks, view) says nothing: a button whose effect shows in
    the edited message.
    """

    text: str = ""
    blocks: list[dict[str, Any]] | None = None
    more: tuple[Page, ...] = ()
    view: dict[str, Any] | None = None
    close: bool = False
    after: Callable[[], None] | None = field(default=None, compare=False, repr=False)
    then_reply: Callable[[], "Reply"] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def pages(cls, pages: list[Page], *, after: Callable[[], None] | None = None) -> "Reply":
        """A list of pages: the first is the acknowledgement, the rest follow."""
        if not pages:
            return cls(after=after)
        first, *rest = pages
        return cls(first.get("text", ""), first.get("blocks"), tuple(rest), after=after)

    @classmethod
    def modal(cls, view: dict[str, Any]) -> "Reply":
        return cls(view=view)

    @property
    def silent(self) -> bool:
        return not self.text and not self.blocks and self.view is None and not self.more

    def then(self, after: Callable[[], None]) -> "Reply":
        """The same reply with follow-up work attached."""
        return Reply(self.text, self.blocks, self.more, self.view, self.close, after, self.then_reply)


class Refusal(Exception):
    """Why the acting person may not do what they asked. Nothing has changed.

    `key` names a short text in templates/<language>/strings/*.yaml and `values` fill it
    in (escaped like every value). `field` names the modal input block the refusal is
    about, so a view submission shows it beside that input instead of replacing the modal.
    """

    def __init__(self, key: str, *, field: str | None = None, **values: Any):
        super().__init__(key)
        self.key, self.field, self.values = key, field, values

    def __repr__(self) -> str:
        return f"Refusal({self.key!r}, field={self.field!r}, {self.values!r})"
