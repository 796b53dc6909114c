"""`language: en` gives an English interface throughout.

Templates are found by scanning templates/sv/, so a Swedish template or string added
without its English twin fails here until it is translated. Every template is rendered in
both languages with sample values (one pool, by variable name, with a few variants for the
branches); a template that needs a variable the pool lacks fails with its name: add a
sample to SAMPLES below.
"""
from __future__ import annotations

import re
from functools import lru_cache
from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace as NS

import pytest
import yaml
from jinja2 import meta

from bot import export
from bot.render import Renderer
from bot.actions.messages import mention

ROOT = Path(__file__).resolve().parent.parent / "templates"  # the source tree, where texts are written
SV, EN = ROOT / "sv", ROOT / "en"

# Words that give away Swedish interface text. Names of actors and regions (Länsstyrelsen,
# Polisregion Stockholm, Tyresö kommun), the app's name (Samverkan) and the registered
# command words (/lagesbild, /aktivera avstämning, senast) are not on the list.
TELLTALES = (
    "Lägesbild", "lägesbild", "Samlad", "samlad", "Talarordning", "talarordning", "kvitter", "Kvitter",
    "Åtgärd", "åtgärd", "Kallelse", "Mötesvärd", "Dagordning", "Ordet", "ordet", "Påminnelse", "aktörer",
    "Aktiverat", "AKTIVERAT", "aktiverat", "Ordinarie", "ordinarie läge", "Nästa", "Inget nytt", "inget nytt",
    "Anledning", "konferensen", "samverkanskonferens", "inlämnad", "reviderad", "Deltagande", "frånvarande",
    "Hoppa över", "hoppades", "Begär", "försenad", "Försenad", "Klar", "Uppföljning", "Avstämning",
    "efterfas", "Stäng", "Avbryt", "Skicka", "tråd", "redigerat", "Boten", "boten", "trycker", "koordinator",
    "svar ──", "demo klar", "kl.", "Kl.",
    "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
    "januari", "februari", "mars ", "april", "maj ", "juni", "juli", "augusti", "oktober",
)
_WEEK_SV = re.compile(r"\b[vV]\. ?\d")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_CODE = re.compile(r"`[^`]*`")


def swedish_words(text: str) -> list[str]:
    """The telltale Swedish words in `text` (empty for English)."""
    found = [w for w in TELLTALES if w in text]
    return found + _WEEK_SV.findall(text)


def literal_text(source: str) -> str:
    """What a template or string writes itself: without Jinja tags and `code` (command words)."""
    return _CODE.sub(" ", _JINJA.sub(" ", source))


# ---- what exists ------------------------------------------------------------------

@lru_cache(maxsize=None)
def renderer(lang: str) -> Renderer:
    return Renderer(lang)


def _templates(lang_dir: Path) -> set[str]:
    return {p.relative_to(lang_dir).as_posix() for p in lang_dir.rglob("*.j2")}


def _data_files(lang_dir: Path) -> set[str]:
    """Texts kept as data beside the templates (e.g. a default agenda in YAML), not strings/."""
    return {p.relative_to(lang_dir).as_posix() for p in lang_dir.rglob("*")
            if p.is_file() and p.suffix != ".j2" and p.parent.name != "strings" and "__pycache__" not in p.parts}


@lru_cache(maxsize=None)
def _strings(lang_dir: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted((lang_dir / "strings").glob("*.yaml")):
        out.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return out


SV_TEMPLATES = sorted(_templates(SV))
SV_KEYS = sorted(_strings(SV))


def test_every_swedish_template_has_an_english_one():
    missing = sorted(set(SV_TEMPLATES) - _templates(EN))
    assert not missing, f"templates/en/ lacks (translate them): {missing}"
    extra = sorted(_templates(EN) - set(SV_TEMPLATES))
    assert not extra, f"templates/en/ has templates that templates/sv/ lacks: {extra}"


def _shape(value):
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return type(value).__name__


@pytest.mark.parametrize("name", sorted(_data_files(SV)))
def test_every_swedish_data_file_has_an_english_one(name):
    en = EN / name
    assert en.exists(), f"templates/en/{name} is missing: translate templates/sv/{name}"
    sv_text, en_text = (SV / name).read_text(encoding="utf-8"), en.read_text(encoding="utf-8")
    assert en_text != sv_text, f"templates/en/{name} is the Swedish text"
    if name.endswith((".yaml", ".yml")):
        assert _shape(yaml.safe_load(en_text)) == _shape(yaml.safe_load(sv_text)), f"{name}: not the same shape"


def test_every_string_key_exists_in_both_languages():
    sv, en = _strings(SV), _strings(EN)
    missing = sorted(set(sv) - set(en))
    assert not missing, f"templates/en/strings/*.yaml lacks (translate them): {missing}"
    extra = sorted(set(en) - set(sv))
    assert not extra, f"keys in templates/en/strings/ but not in templates/sv/strings/: {extra}"


def test_english_strings_files_mirror_the_swedish_ones():
    """Each key lives in the same domain file in both languages (strings/actions.yaml …)."""
    def files(lang_dir: Path) -> dict[str, str]:
        return {k: p.name for p in (lang_dir / "strings").glob("*.yaml")
                for k in (yaml.safe_load(p.read_text(encoding="utf-8")) or {})}
    sv, en = files(SV), files(EN)
    moved = sorted(f"{k}: sv {sv[k]}, en {en[k]}" for k in set(sv) & set(en) if sv[k] != en[k])
    assert not moved, moved


@pytest.mark.parametrize("key", SV_KEYS)
def test_english_string_is_english_and_renders(key):
    en_source = _strings(EN).get(key)
    if en_source is None:
        pytest.fail(f"no English text for {key!r} (add it to templates/en/strings/)")
    sv_source = _strings(SV)[key]
    assert not swedish_words(literal_text(en_source)), (key, swedish_words(literal_text(en_source)))
    sv_vars = meta.find_undeclared_variables(renderer("sv").env.parse(sv_source))
    en_vars = meta.find_undeclared_variables(renderer("en").env.parse(en_source))
    assert en_vars == sv_vars, f"{key}: the English text uses {sorted(en_vars)}, the Swedish {sorted(sv_vars)}"
    unknown = sorted(sv_vars - set(SAMPLES))
    assert not unknown, f"{key} needs sample values for {unknown}: add them to SAMPLES in tests/test_english.py"
    for lang, source in (("sv", sv_source), ("en", en_source)):  # (Renderer.t would take `key` as its own)
        assert renderer(lang).env.from_string(source).render(**SAMPLES).strip()


# ---- rendering every template ------------------------------------------------------

WHEN = datetime(2026, 12, 3, 15, 0, tzinfo=timezone.utc)  # Thursday 3 December 2026 16:00 in Stockholm
LATER = datetime(2026, 12, 3, 16, 5, tzinfo=timezone.utc)
DUE = date(2026, 12, 4)

_ACK = NS(user_id="U0TRV001", actor_name="Trafikverket", at=LATER)
ITEM = NS(id=7, owner_name="Trafikverket", text="Coordinate <road> information", due=DUE, overdue=False,
          status="open", done_by="U0TRV001", done_at=LATER, acknowledged=_ACK, created_by="U0LST001",
          created_at=WHEN, acked=[("Polisen", "@u")], waiting=["SOS Alarm"],
          # as a declined item and as an unanswered question, in the lists of the opening
          item_id=7, user_id="U0POL001", at=WHEN, reason="Not ours", to="Polisen", asked_at=WHEN,
          **{"from": "Region Stockholm"})
REPORT = NS(actor_name="Polisregion Stockholm", status="påverkad", version=2, nothing_new=False,
            fields=[("lage", "Calm"), ("behov", "Joint message")], submitted_at=WHEN, updated_at=WHEN,
            needs_coordination=True)
CONFERENCE = NS(number=2, reason="Snow", opened_at=WHEN, closed_at=LATER, status="closed", iso_week=49,
                holiday="Julafton", created_at=WHEN)
NOTE = NS(actor_name="Region Stockholm", text="Vaccination week", author_actor="Polisen")
LEAD = NS(analysis="Snow and ice", agreed="A joint message", next_steps="Check-in on Friday")
RECORD = NS(lead=LEAD, trade_offs=[ITEM], notes=[NOTE])
DATA = NS(
    # the summary (samlad lägesbild) and the export
    held_on=DUE, conference=CONFERENCE, activated=False, reported=["a", "b"], actors_total=5, spoke=["a"],
    passed=["c"], absent=["d"], statuses={"normal": 1, "påverkad": 1}, new_items=[ITEM], carried_items=[ITEM],
    raised=[NOTE], groups=[("blåljus", [REPORT])], aggregated={"behov": [NOTE], "kommande": []},
    # the weekly digest
    conferences=[NS(activated=a, held=h, conference=NS(**{**vars(CONFERENCE), "status": s}), reported=2, total=5,
                    spoke=1, missing=["Tyresö kommun"])
                 for a, h, s in ((True, True, "open"), (False, True, "closed"), (False, False, "skipped"),
                                 (False, False, "missed"), (False, False, "scheduled"))],
    open_count=3, overdue_count=1, by_actor=[("Trafikverket", [ITEM])],
    # the record and the not heard (leading the conference); a declined action item
    record=RECORD, not_heard=["Tyresö kommun"], item_id=7, owner_name="Trafikverket", text="Coordinate",
    user_id="U0POL001", at=WHEN, reason="Not ours",
)


# after the conference: cases (raised points), conflicts of goals, evaluations, lessons, statistics
CASE = NS(id=1, text="Winter roads", destination="Regional coordination group", created_at=WHEN, status="lyft",
          raised_by="U0POL001")
STEP = NS(at=LATER, comment="Investigated", to_status="behandlas", user_id="U0LST001")
CONFLICT = NS(id=1, text="Closing the E4 versus access", created_at=WHEN, created_by="U0LST001", resolved_at=LATER,
              resolved_by="U0LST001")
AFTER = NS(conflicts=[NS(conflict=CONFLICT, actor_names=["Polisen", "Trafikverket"])],
           cases=[NS(case=CASE, actor_name="Polisen", steps=[STEP])],
           evaluations=[NS(user_id="U0LST001", facilitering=4, teknik=5, upplagg=3, ville="A", blev="B", lar="C")],
           lessons=[NS(text="Share the map", user_id="U0LST001", created_at=WHEN)])
STATS = NS(held=10, skipped=1, missed=0, activation_minutes=90,
           activations=[NS(number=1, opened_at=WHEN, closed_at=LATER, minutes=90, reason="Snow")],
           actors=[NS(name="Polisen", reported=8, reported_share=0.8, spoke=7, spoke_share=0.7, held=True)],
           items=NS(on_time=3, late=1, declined=1, open=2, overdue=1), cases={"lyft": 2},
           evaluations=NS(count=3, facilitering=4.2, teknik=4.5, upplagg=3.9), lessons=4)


class _Shown(list):
    """A list cut short for Slack: `more` were left out."""

    more = 2


class _Who(str):
    """`who` is a name in some texts and a function naming a user id in others."""

    def __call__(self, user_id: object) -> str:
        return f"@{user_id}"

SAMPLES: dict = dict(
    week=49, number=2, year=2026, first=45, last=49, page=1, pages=2, count=3, total=5, position=2, length=3100,
    limit=2500, max=2500, id=7, version=2, grace_minutes=60, late_minutes=5, next_week=50, overdue=1,
    region="Stockholm", reason="SMHI class 2 <warning>", where="#samverkan-1", host="Länsstyrelsen Stockholm",
    actor="Trafikverket", actor_key="trafikverket", actors="Polisen, SOS Alarm", owner="Trafikverket",
    by="@lst.coordinator", activator="@lst.coordinator", requester="@tib", requester_actor="Trafikverket", decided="@k",
    decided_user="@k", who=_Who("@someone"), user="@u", word="xyz", text="Coordinate", given="25:99", error="boom",
    users="@a, @b", channel="#c", name="Polisen", state="waiting", phase="ongoing", title="Summary",
    link="https://example.org/x", due="Friday 4 December 2026", due_text="2026-12-04", place="in the thread",
    comment="Downgraded", day="today", mode="Normal mode", conference="the conference week 49",
    moved_from="the conference week 48", category="blåljus", label="Situation now", status_label="Affected",
    legend=":handshake: needs", current="Polisen", current_marks="", marks=" :handshake:", mentions="<@U1>",
    empty="Nothing reported.", button="Next", option="Nothing new to report", seconds="12.3",
    shown=2, policy="hold", holiday="Julafton", kind="unack", outcome="accepted",
    at=WHEN, opened_at=WHEN, closed_at=LATER, created_at=WHEN, decided_at=LATER, next_at=LATER,
    exported_at=LATER, open_at=WHEN, close_at=LATER, next_open_at=WHEN, held_on=DUE, nominal_date=DUE,
    monday=date(2026, 11, 30), sunday=date(2026, 12, 6), next_day="tomorrow",
    reminder=True, later=False, in_thread=True, request=True, reported=3, nothing_new=1, revised=True,
    kept_fields=True, is_open=True, needs=True, status="påverkad", can_report=False, done=False,
    activation_note="Activated mode is running", requests=["SOS Alarm"], requests_more=1, upcoming=["Polisen"],
    upcoming_more=2, spoke=["Länsstyrelsen Stockholm"], spoke_more=1, spoke_count=1, passed=["Tyresö kommun"],
    passed_count=1, passed_more=0, ongoing=_Shown(["Polisen"]), after=_Shown(["Trafikverket"]), more=2,
    lines=[NS(actor="Polisen", mentions="<@U0POL001>", after=True)],
    rows=[NS(status=s, label="1.", name="Polisen", marks="") for s in ("speaking", "spoke", "passed", "waiting")],
    groups=[("blåljus", [NS(name="Polisen", report=REPORT), NS(name="SOS Alarm", report=None)])],
    items=[ITEM], v=ITEM, rep=REPORT, d=DATA, mention=mention,
    info=NS(activated=False, number=2, at=WHEN, iso_week=49),
    report=REPORT, activated=NS(number=2, reason="Snow"), current_status=None,
    labels={"lage": "Situation now"}, status_labels={"påverkad": "affected"},
    n=3, asked="Trafikverket", key="trafikverket", closed=True, minutes=15, waiting=2, what="the answer",
    author="@tib", asker="@tib.polisen", asker_actor="Polisen", answered_by="@tib.trafikverket", to="Trafikverket",
    planned=WHEN, lead=LEAD, rec=RECORD, by_severity=["allvarlig", "påverkad", "normal"],
    kinds={"information": "Information", "diskussion": "Discussion", "överenskommelse": "Agreement"},
    points=[NS(title="Communication", kind="diskussion", purpose="Joint messages", prepare_names=["Trafikverket"])],
    advice="Contact the administrator.", destination="Regional coordination group", all=False,
    raiser="@tib.polisen", when="Thursday 3 December",
    replaced=True, period="T3 2026 (September–December)", resting=["SOS Alarm"], before="escalated",
    cases=[NS(id=1, text="Winter roads", status="escalated", actor="Polisen", destination="the group")],
    conflicts=[NS(id=1, actors=["Polisen", "Trafikverket"], text="E4 versus access")], case=CASE, step=STEP,
    conflict=CONFLICT, lessons=[NS(text="Share the map", at=WHEN, user="@u", where="week 49")],
    c=NS(after=AFTER), s=STATS,
    case_status={"lyft": "escalated", "behandlas": "in progress"}, case_labels={"lyft": "escalated"},
    num=lambda x: f"{x:.1f}", pct=lambda x: f"{x:.0%}", charts=NS(conferences="", actors="", action_items="", cases=""),
    q=NS(text="How long?", answer="Until 05:00", asked_at=WHEN, answered_at=LATER, to="Trafikverket",
         **{"from": "Polisen"}),
    aggregated_titles={"behov": "Need for coordination", "kommande": "Upcoming events"},
    conferences=[NS(conference=CONFERENCE, activated=a, status="closed", data=DATA, after=AFTER,
                    postings=[NS(posted_at=LATER, posted_by="@k", pages=2)]) for a in (False, True)],
)
# Where one name means different things in different templates.
OVERRIDES: dict[str, dict] = {
    "floor_order.md.j2": {"groups": [NS(title="Host", rows=[NS(number=1, name="Länsstyrelsen", marks="")])]},
    "summary_notice.md.j2": {"items": 1, "raised": 2},
    "status.md.j2": {"current": NS(week=49, status="open")},
    "case_line.md.j2": {"last": NS(at=LATER, comment="Decided")},
}
# Flipped values that reach the other branches.
VARIANTS: list[dict] = [
    {},
    {"reminder": False, "later": True, "in_thread": False, "request": False, "reported": 0, "nothing_new": 0,
     "revised": False, "is_open": False, "can_report": True, "done": True, "policy": "previous_workday",
     "kind": "due", "outcome": "declined", "link": None, "next_at": None, "next_open_at": None, "moved_from": None,
     "requester": None, "late_minutes": 0, "activated": None, "current": None,
     "v": NS(**{**vars(ITEM), "due": None, "acknowledged": None, "status": "done", "overdue": True}),
     "report": NS(**{**vars(REPORT), "nothing_new": True, "version": 1}),
     "info": NS(activated=True, number=2, at=WHEN, iso_week=49),
     "rep": NS(**{**vars(REPORT), "nothing_new": True, "version": 1, "status": None}),
     "d": NS(**{**vars(DATA), "held_on": None, "activated": True, "passed": [], "absent": [], "statuses": {},
                "new_items": [], "carried_items": [], "raised": [], "groups": [], "aggregated": {"behov": []},
                "conferences": [], "by_actor": []}),
     "items": [], "entries": [], "lines": []},
    {"kind": "overdue", "policy": "skip", "outcome": None, "done": False, "current": None, "holiday": None},
]
SAMPLES["entries"] = [NOTE]


def _environment(name: str, lang: str):
    """Documents (export, statistics) have their own environment: no Slack escaping, HTML autoescaped."""
    r = renderer(lang)
    if name.startswith(("export", "stats.")):
        return export.environment("html" if ".html." in name else "md", r)
    return r.env


def _render(name: str, lang: str) -> list[str]:
    env = _environment(name, lang)
    out = []
    for variant in VARIANTS:
        values = {**SAMPLES, **OVERRIDES.get(name, {}), **variant}
        out.append(env.get_template(name).render(**values))
    return out


@pytest.mark.parametrize("name", SV_TEMPLATES)
def test_template_renders_in_both_languages_and_english_is_english(name):
    if not (EN / name).exists():
        pytest.fail(f"templates/en/{name} is missing: translate templates/sv/{name}")
    if name.endswith("_macros.j2"):
        return  # rendered through the templates that import it
    sv_source, en_source = (SV / name).read_text(encoding="utf-8"), (EN / name).read_text(encoding="utf-8")
    env_sv, env_en = _environment(name, "sv"), _environment(name, "en")
    sv_vars = meta.find_undeclared_variables(env_sv.parse(sv_source))
    en_vars = meta.find_undeclared_variables(env_en.parse(en_source))
    assert en_vars == sv_vars, f"{name}: English uses {sorted(en_vars)}, Swedish {sorted(sv_vars)}"
    unknown = sorted(sv_vars - set(SAMPLES) - set(OVERRIDES.get(name, {})))
    assert not unknown, f"{name} needs sample values for {unknown}: add them to SAMPLES in tests/test_english.py"
    assert not swedish_words(literal_text(en_source)), (name, swedish_words(literal_text(en_source)))
    svs, ens = _render(name, "sv"), _render(name, "en")
    for sv_text, en_text in zip(svs, ens):
        shown = _CODE.sub(" ", en_text)
        assert not swedish_words(shown), (name, swedish_words(shown), en_text)
        if swedish_words(_CODE.sub(" ", sv_text)):
            assert en_text != sv_text, f"{name}: the English text is the Swedish one"


def test_english_dates_times_and_weeks():
    r = Renderer("en")
    assert r.fmt_datetime(WHEN) == "Thursday 3 December 2026 at 16:00"
    assert r.fmt_date(DUE) == "Friday 4 December 2026"
    assert r.fmt_week(49) == "week 49"
    assert r.holiday_name("Julafton") == "Christmas Eve"
    assert r.holiday_name("Nationaldagen; Pingstdagen") == "National Day; Pentecost"
    assert r.holiday_name("Okänd dag") == "Okänd dag"
    sv = Renderer("sv")
    assert sv.fmt_datetime(WHEN) == "torsdag 3 december 2026 16.00"
    assert sv.fmt_week(49) == "v. 49"
    assert sv.holiday_name("Julafton") == "Julafton"


def test_english_status_shows_english_dates():
    text = Renderer("en").render("status.md.j2", activated=None, current=None, next_week=49, next_open_at=WHEN)
    assert text == "Next normal-mode conference: week 49, Thursday 3 December 2026 at 16:00."


def test_the_telltale_check_finds_swedish():
    """The checks above are only as good as the word list: it must flag the Swedish originals."""
    flagged = [n for n in SV_TEMPLATES if not n.endswith("_macros.j2") and swedish_words(_render(n, "sv")[0])]
    assert len(flagged) >= len(SV_TEMPLATES) * 0.8, sorted(set(SV_TEMPLATES) - set(flagged))
    assert swedish_words("Nästa ordinarie konferens: v. 49, Thursday 3 December 2026 kl. 16:00")


# ---- an English region over HTTP: English answers, English verbs where the parsers take them ----

@pytest.fixture
def region_cfg():
    from bot.config import load_region
    from tests.conftest import REGION_FILE

    return load_region(REGION_FILE).model_copy(update={"language": "en"})


def _answer(bot, command: str, text: str, user: str = "U0POL001") -> str:
    """The answer the person sees: in the acknowledgement, or (slow verbs) at the response_url."""
    before = len(bot.emu.response_posts)
    response = bot.slack.slash_command(command, text, user_id=user, channel_id=bot.cfg.channel)
    assert response.status_code == 200, response.text
    body = response.json() if response.text else {}
    if not body.get("text") and not body.get("blocks"):
        assert bot.emu.wait_for(lambda: len(bot.emu.response_posts) > before, timeout=10)
        body = bot.emu.response_posts[-1]["json"]
    texts = [body.get("text") or ""] + [b.get("text", {}).get("text", "") for b in body.get("blocks") or []]
    return "\n".join(texts)


@pytest.mark.parametrize(("command", "text", "expected"), [
    ("/samverkan", "help", "*Samverkan: the regional coordination conference in Slack*"),
    ("/samverkan", "", "`/lagesbild nothing`: nothing new to report"),
    ("/lagesbild", "help", "*Situation report*"),
    ("/aktivera", "help", "*Activated mode*"),
    ("/samverkan", "status", "Next normal-mode conference: week 48, Thursday 26 November 2026 at 16:00."),
    ("/samverkan", "summary", "No consolidated situation picture has been published yet."),
    ("/atgard", "list", "No open action items."),
    ("/talarordning", "next", "No conference is open right now, so the floor cannot be passed on."),
    ("/lagesbild", "nothing", "“Nothing new to report” for Polisregion Stockholm"),
    ("/samverkan", "xyz", "Unknown option `xyz`. Type `/samverkan help` for the commands."),
])
def test_english_region_answers_in_english(bot, command, text, expected):
    answer = _answer(bot, command, text)
    assert expected in answer, answer
    assert not swedish_words(_CODE.sub(" ", answer)), (swedish_words(_CODE.sub(" ", answer)), answer)


# ---- the demo in English -------------------------------------------------------------

def test_english_demo_prints_english_from_start_to_end():
    from bot.demo import run_demo

    lines: list[str] = []
    assert run_demo(out=lines.append, language="en") == 0
    text = "\n".join(lines)
    for expected in ("Samverkan demo: Stockholm, 37 actors", "Call to the regional coordination conference week",
                     "REGIONAL COORDINATION CONFERENCE WEEK", "*Agenda*", "Speaking order week",
                     "CONSOLIDATED SITUATION PICTURE WEEK", "*Acknowledged* by", "Thursday", " at 16:00",
                     "_Emergency services_", "(edited)", "(demo done in"):
        assert expected in text, expected
    shown = _CODE.sub(" ", text)
    assert not swedish_words(shown), [line for line in lines if swedish_words(_CODE.sub(" ", line))][:20]


def test_warm_compiles_every_template_and_string_of_both_languages():
    from bot.render import Renderer

    for language in ("sv", "en"):
        r = Renderer(language)
        n = r.warm()
        assert n > 500  # every string and every template the Slack renderer uses
        assert len(r._compiled) == len(r._strings)
        assert r.t("unexpected_error")  # and it renders from what was compiled
