"""Slack payloads of the lägesbild capability, rendered from templates/ (every value a
person typed is escaped by the renderer; nothing here wraps user text in SlackSafe)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.render import Renderer
from bot.report import fields as F
from bot.report.service import ActorStatus, ConferenceInfo, by_category
from bot.slack import blocks as bk
from bot.slack.text import SlackSafe

Block = dict[str, Any]
STATUS_KEYS = {"normal": "report_status_normal", "påverkad": "report_status_paverkad",
               "allvarlig": "report_status_allvarlig"}
OPEN_MODAL_ACTION = "report_open_modal"
# Room left on every page for the continuation line added to pages 2, 3, …
_PAGE_BLOCKS = bk.BLOCKS_PER_MESSAGE - 1
_PAGE_BUDGET = bk.MESSAGE_TEXT_BUDGET - 300
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")


@dataclass(frozen=True)
class Submitted:
    """What happened to a submitted report, for the person who sent it."""

    actor_name: str
    info: ConferenceInfo
    version: int
    revised: bool
    nothing_new: bool
    moved_from: ConferenceInfo | None = None
    kept_fields: bool = False  # a quick text replaced "Läge nu" and kept the other fields
    # set when the report went to an open conference: the floor must hear of it (after_submit)
    floor_update: tuple[int, int] | None = None  # (conference id, actor id)


def conference_label(r: Renderer, info: ConferenceInfo) -> SlackSafe:
    """Rendered (so escaped) once; SlackSafe so that another template does not escape it again."""
    return SlackSafe(r.render("report_conference.j2", info=info))


def _capitalized(label: SlackSafe) -> SlackSafe:
    return SlackSafe(label[:1].upper() + label[1:])


def field_label(r: Renderer, key: str) -> str:
    return r.t(f"report_field_{key}")


def status_label(r: Renderer, status: str) -> str:
    return r.t(STATUS_KEYS[status])


def safe_sections(mrkdwn: str) -> list[Block]:
    """bk.sections, but a hard cut inside a long word never splits an entity such as
    `&lt;` (escaped user text) over two sections."""
    pieces = bk.split_text(mrkdwn, bk.SECTION_MAX - 8)
    out: list[str] = []
    carry = ""
    for i, piece in enumerate(pieces):
        piece = carry + piece
        carry = ""
        m = _PARTIAL_ENTITY.search(piece)
        if m and i < len(pieces) - 1:
            piece, carry = piece[:m.start()], m.group(0)
        out.append(piece)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": p}} for p in out if p.strip()]


# ---- the report in the conference thread --------------------------------------------------

def report_blocks(r: Renderer, info: ConferenceInfo, actor_name: str, *, fields: dict[str, str],
                  status: str | None, nothing_new: bool, needs: bool, version: int,
                  submitted_at: datetime) -> list[Block]:
    blocks: list[Block] = [bk.header(actor_name)]
    head = r.render("report_head.md.j2", status=status, status_label=status_label(r, status) if status else "",
                    needs=needs and not nothing_new)
    if head:
        blocks.append(bk.context(head))
    if nothing_new:
        blocks += bk.sections(r.t("report_nothing_new_text"))
    else:
        for key in F.FIELDS:
            text = fields.get(key)
            if text:
                blocks += safe_sections(r.render("report_field.md.j2", label=field_label(r, key), text=text))
    blocks.append(bk.context(r.render("report_footer.md.j2", info=info, version=version, at=submitted_at)))
    return blocks


def report_pages(r: Renderer, info: ConferenceInfo, actor_name: str, **kw: Any) -> tuple[str, list[list[Block]]]:
    """(notification text, messages): the report, split over several messages if it does
    not fit one; pages 2, 3, … start with a line saying whose report continues."""
    pages = bk.paginate(report_blocks(r, info, actor_name, **kw), max_blocks=_PAGE_BLOCKS,
                        text_budget=_PAGE_BUDGET)
    for n, page in enumerate(pages[1:], start=2):
        page.insert(0, bk.context(r.t("report_page_continued", actor=actor_name, page=n, pages=len(pages))))
    return bk.fallback(r.t("report_fallback", actor=actor_name)), pages


def replaced_page(r: Renderer, actor_name: str) -> list[Block]:
    return [bk.context(r.t("report_page_replaced", actor=actor_name))]


# ---- answers to the person -----------------------------------------------------------------

def confirmation(r: Renderer, o: Submitted) -> str:
    return r.render("report_confirmation.md.j2", actor=o.actor_name, conference=conference_label(r, o.info),
                    moved_from=_capitalized(conference_label(r, o.moved_from)) if o.moved_from else None,
                    nothing_new=o.nothing_new, revised=o.revised, version=o.version, is_open=o.info.is_open,
                    kept_fields=o.kept_fields)


def status_overview(r: Renderer, info: ConferenceInfo, statuses: list[ActorStatus]) -> tuple[str, list[list[Block]]]:
    """`/lagesbild status`: at most one answer's messages (bk.ANSWER_PAGES); a region with
    more actors than that holds lists the first ones and says how many more there are."""
    reported = sum(1 for st in statuses if st.report is not None)
    nothing_new = sum(1 for st in statuses if st.report is not None and st.report.nothing_new)
    groups = by_category(statuses)

    def render(shown: int) -> list[Block]:
        body = r.render("report_status.md.j2", conference=conference_label(r, info), reported=reported,
                        total=len(statuses), nothing_new=nothing_new, groups=_first(groups, shown),
                        more=len(statuses) - shown)
        return bk.sections(body)

    text = bk.fallback(r.t("report_status_fallback", reported=reported, total=len(statuses)))
    return text, bk.fit_pages(render, len(statuses))


def _first(groups: list[tuple[str, list[Any]]], n: int) -> list[tuple[str, list[Any]]]:
    """The groups holding only their first n items in all."""
    out = []
    for key, items in groups:
        if n <= 0:
            break
        out.append((key, items[:n]))
        n -= len(items)
    return out


def help_text(r: Renderer) -> str:
    return r.render("report_help.md.j2", max=F.MAX_CHARS)


def open_modal_button(r: Renderer, value: str) -> dict[str, Any]:
    return bk.button(r.t("report_button"), OPEN_MODAL_ACTION, value=value, style="primary")


def reminder(r: Renderer, info: ConferenceInfo, actor_name: str, button_value: str) -> dict[str, Any]:
    body = r.render("report_reminder.md.j2", actor=actor_name, conference=conference_label(r, info))
    return {"text": bk.fallback(r.t("report_reminder_fallback", actor=actor_name)),
            "blocks": [*bk.sections(body), bk.actions(open_modal_button(r, button_value))]}


def home_title(r: Renderer) -> list[Block]:
    return [bk.divider(), *bk.sections(r.t("report_home_title"))]


def home_entry(r: Renderer, info: ConferenceInfo, actor_name: str, report: Any, can_report: bool,
               button_value: str) -> list[Block]:
    body = r.render("home_report.md.j2", actor=actor_name, conference=conference_label(r, info), report=report,
                    can_report=can_report)
    blocks = bk.sections(body)
    if can_report:
        blocks.append(bk.actions(open_modal_button(r, button_value)))
    return blocks
