"""Slack message payloads for the conference life cycle, rendered from templates/."""
from __future__ import annotations

from typing import Any

from bot.conference.models import ACTIVATED, Conference
from bot.render import Renderer
from bot.slack import blocks as bk

Payload = dict[str, Any]


def mode_label(r: Renderer, conf: Conference) -> str:
    return r.t("mode_activated" if conf.kind == ACTIVATED else "mode_ordinary")


def kallelse(r: Renderer, *, skipped: bool, **ctx: Any) -> Payload:
    body = r.render("kallelse_skipped.md.j2" if skipped else "kallelse.md.j2", **ctx)
    return {"text": bk.fallback(r.t("kallelse_fallback", week=ctx["week"])), "blocks": bk.sections(body)}


def opening(r: Renderer, conf: Conference, extra_blocks: list[dict[str, Any]] | None = None, **ctx: Any) -> Payload:
    body = r.render("opening.md.j2", mode=mode_label(r, conf), week=conf.iso_week, **ctx)
    blocks = [bk.header(r.t("opening_header", week=conf.iso_week)), *bk.sections(body), *(extra_blocks or [])]
    return {"text": bk.fallback(r.t("opening_fallback", week=conf.iso_week)), "blocks": blocks}


def missed(r: Renderer, **ctx: Any) -> Payload:
    return {"text": bk.fallback(r.t("missed_fallback", week=ctx["week"])),
            "blocks": bk.sections(r.render("missed.md.j2", **ctx))}


def closing(r: Renderer, conf: Conference, **ctx: Any) -> Payload:
    return {"text": bk.fallback(r.t("closing_fallback", week=conf.iso_week)),
            "blocks": bk.sections(r.render("closing.md.j2", week=conf.iso_week, **ctx))}
