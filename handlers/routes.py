"""One Bolt listener per kind of request, which hands it to the listener named for it.

Bolt tries its listeners in the order they were registered and builds each one's
arguments to match it: with thirty-odd listeners, a request for one registered late paid
for every match before it. Each module registers with `Routes` as it would with the App
(`routes.command("/atgard")(atgard)`); Bolt gets one listener for all slash commands, one
for all block actions and one for all modal submissions, each matching its names with one
regular expression, so a request costs one to three matches whatever the number of
listeners. Events and shortcuts (one of each) go to the App as they are.
"""
from __future__ import annotations

import inspect
import re
from typing import Any, Callable, Pattern

from slack_bolt import App

Listener = Callable[..., None]


class Routes:
    def __init__(self, app: App):
        self.app = app
        self._commands: dict[str, Listener] = {}
        self._actions: dict[str, Listener] = {}
        self._action_patterns: list[tuple[Pattern, Listener]] = []
        self._views: dict[str, Listener] = {}
        self._as_they_are: list[tuple[Callable, str, Listener]] = []  # events, shortcuts

    # ---- what the modules call, as on the App ----------------------------------------
    def command(self, name: str) -> Callable[[Listener], Listener]:
        return _into(self._commands, name)

    def action(self, action_id: str | Pattern) -> Callable[[Listener], Listener]:
        if isinstance(action_id, str):
            return _into(self._actions, action_id)

        def add(fn: Listener) -> Listener:
            self._action_patterns.append((action_id, fn))
            return fn
        return add

    def view(self, callback_id: str) -> Callable[[Listener], Listener]:
        return _into(self._views, callback_id)

    def event(self, event_type: str) -> Callable[[Listener], Listener]:
        return self._later(self.app.event, event_type)

    def shortcut(self, callback_id: str) -> Callable[[Listener], Listener]:
        return self._later(self.app.shortcut, callback_id)

    def _later(self, register: Callable, key: str) -> Callable[[Listener], Listener]:
        def add(fn: Listener) -> Listener:
            self._as_they_are.append((register, key, fn))
            return fn
        return add

    # ---- what Bolt sees ------------------------------------------------------------------
    def install(self) -> None:
        """The three routing listeners, slash commands first (the hottest requests), then
        the events and shortcuts."""
        commands, actions, views = self._commands, self._actions, self._views
        patterns = self._action_patterns

        def slash_command(ack, body, command, client, respond, context) -> None:
            _call(commands[command["command"]], ack=ack, body=body, command=command, client=client,
                  respond=respond, context=context)

        def block_action(ack, body, client, respond, context) -> None:
            action_id = body["actions"][0]["action_id"]
            fn = actions.get(action_id) or next(f for p, f in patterns if p.search(action_id))
            _call(fn, ack=ack, body=body, client=client, respond=respond, context=context)

        def view_submission(ack, body, view, client, context) -> None:
            _call(views[view["callback_id"]], ack=ack, body=body, view=view, client=client, context=context)

        if commands:
            self.app.command(_any_of(commands))(slash_command)
        if actions or patterns:
            self.app.action(_any_of(actions, [p for p, _ in patterns]))(block_action)
        if views:
            self.app.view(_any_of(views))(view_submission)
        for register, key, fn in self._as_they_are:
            register(key)(fn)


def _into(table: dict[str, Listener], name: str) -> Callable[[Listener], Listener]:
    if name in table:
        raise ValueError(f"{name!r} has a listener already")

    def add(fn: Listener) -> Listener:
        table[name] = fn
        return fn
    return add


_PARAMETERS: dict[Listener, tuple[str, ...]] = {}


def _call(fn: Listener, **available: Any) -> None:
    """`fn` with the arguments it names (each module's listeners name what they need)."""
    names = _PARAMETERS.get(fn)
    if names is None:
        names = _PARAMETERS[fn] = tuple(inspect.signature(fn).parameters)
    fn(**{name: available[name] for name in names})


def _any_of(names, patterns: list[Pattern] = ()) -> Pattern:
    """One expression matching exactly these names, or what one of the patterns matches."""
    parts = [f"(?:{re.escape(n)})\\Z" for n in names] + [f"(?:{p.pattern})" for p in patterns]
    return re.compile("^(?:" + "|".join(parts) + ")")
