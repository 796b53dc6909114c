"""bot.config: the region file and the environment settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.config import (
    WEEKDAYS,
    ConferenceConfig,
    ConfigError,
    RegionConfig,
    Settings,
    SettingsError,
    load_region,
    load_settings,
    parse_region,
)
from bot.config.env import RUN_HTTP_REQUIRES, RUN_SOCKET_MODE_REQUIRES, redact_url

DATA = Path(__file__).parent / "data"
STOCKHOLM = DATA / "stockholm.yaml"
SHARED_STOCKHOLM = Path(__file__).resolve().parents[2] / "shared" / "regions" / "stockholm.yaml"
STOCKHOLM_TEXT = STOCKHOLM.read_text(encoding="utf-8")


def variant(*replacements: tuple[str, str]) -> str:
    """The Stockholm file with some text replaced (each old text must be there)."""
    text = STOCKHOLM_TEXT
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def problems(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "region.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_region(path)
    assert str(info.value) == "\n".join(info.value.problems)
    for line in info.value.problems:
        assert "pydantic" not in line and "For further information" not in line
        assert "\n" not in line
    return info.value.problems


def load_text(text: str, tmp_path: Path) -> RegionConfig:
    path = tmp_path / "region.yaml"
    path.write_text(text, encoding="utf-8")
    return load_region(path)


# --------------------------------------------------------------------------- the example file

def test_stockholm_example_validates():
    config = load_region(STOCKHOLM)
    assert config.region == "Stockholm"
    assert len(config.actors) == 37
    assert config.language == "sv"
    assert config.channel == "C0CONF01"
    assert config.tz.key == "Europe/Stockholm"
    conf = config.conference
    assert conf.weekday == WEEKDAYS.index("thursday") == 3
    assert conf.time == dt.time(16, 0)
    assert conf.call_for_reports == dt.time(9, 0)
    assert conf.reminder == dt.time(15, 0)
    assert (conf.duration_minutes, conf.grace_minutes, conf.holidays) == (60, 60, "skip")
    assert config.speaking_order.first == ("lansstyrelsen",)
    assert config.speaking_order.categories == ("blåljus", "sjukvård", "trafik", "kommun", "övriga")
    assert config.speaking_order.rotate is True
    # defaults of the optional sections
    assert (config.digest.weekday, config.digest.time, config.digest.enabled) == (4, dt.time(9, 0), True)
    assert config.action_items.remind_unacknowledged_hours == 24
    assert config.action_items.remind_due_days == 1
    assert config.activation.separate_channel is False
    assert config.activation.channel_prefix == "aktiverat"


def test_shared_example_validates_and_matches_the_copy():
    if not SHARED_STOCKHOLM.exists():
        pytest.skip(f"{SHARED_STOCKHOLM} is not present (the shared folder is not beside this checkout)")
    assert load_region(SHARED_STOCKHOLM) == load_region(STOCKHOLM)


def test_lookups():
    config = load_region(STOCKHOLM)
    assert config.actor("polisen").name == "Polisregion Stockholm"
    assert config.actor("nope") is None
    assert [m.user for m in config.members_of("trafikverket")] == ["U0TRV001", "U0TRV002"]
    assert config.members_of("botkyrka") == []
    (lst,) = config.memberships("U0LST001")
    assert lst.actor == "lansstyrelsen" and lst.roles == frozenset({"tib", "koordinator"})
    assert config.memberships("U0NOBODY") == []


def test_a_user_may_belong_to_several_actors(tmp_path):
    text = STOCKHOLM_TEXT + "  - {user: U0LST001, actor: polisen, roles: [deltagare]}\n"
    config = load_text(text, tmp_path)
    assert [m.actor for m in config.memberships("U0LST001")] == ["lansstyrelsen", "polisen"]


def test_models_are_frozen():
    config = load_region(STOCKHOLM)
    with pytest.raises(Exception):
        config.region = "Uppsala"
    with pytest.raises(Exception):
        config.conference.time = dt.time(17, 0)


# --------------------------------------------------------------------------- times and weekdays

def test_bad_time(tmp_path):
    text = variant(('time: "16:00"', 'time: "25:00"'))
    assert problems(text, tmp_path) == ['conference.time: "25:00" is not a time (expected HH:MM, e.g. "16:00")']


@pytest.mark.parametrize("written, expected", [
    ('"16:00"', dt.time(16, 0)),
    ('"16.00"', dt.time(16, 0)),
    ("16:00", dt.time(16, 0)),      # unquoted: YAML 1.1 would make this 960
    ("16.30", dt.time(16, 30)),     # unquoted: YAML would make this 16.3
    ("'16:05'", dt.time(16, 5)),
])
def test_time_spellings(tmp_path, written, expected):
    config = load_text(variant(('time: "16:00"', f"time: {written}")), tmp_path)
    assert config.conference.time == expected


def test_unquoted_time_from_another_yaml_loader_is_refused_with_a_hint():
    data = yaml.safe_load(variant(('time: "16:00"', "time: 16:00")))
    assert data["conference"]["time"] == 960
    with pytest.raises(ConfigError) as info:
        parse_region(data)
    assert info.value.problems == [
        'conference.time: 960 is not a time (YAML reads an unquoted 16:00 as the number 960): '
        'write the time in quotes, e.g. "16:00"'
    ]
    data["conference"]["time"] = 16.0
    with pytest.raises(ConfigError) as info:
        parse_region(data)
    assert info.value.problems == ['conference.time: 16.0 is not a time: write the time in quotes, e.g. "16:00"']


def test_bad_weekday(tmp_path):
    text = variant(("weekday: thursday", "weekday: thorsday"))
    assert problems(text, tmp_path) == ['conference.weekday: "thorsday" is not a weekday (monday … sunday)']


@pytest.mark.parametrize("written", ["torsdag", "Thursday", "TORSDAG"])
def test_weekday_in_swedish_or_any_case(tmp_path, written):
    config = load_text(variant(("weekday: thursday", f"weekday: {written}")), tmp_path)
    assert config.conference.weekday == 3


def test_weekday_number_is_refused_in_the_file_but_accepted_from_python(tmp_path):
    text = variant(("weekday: thursday", "weekday: 3"))
    assert problems(text, tmp_path) == ["conference.weekday: 3 is not a weekday: write its name (monday … sunday)"]
    assert ConferenceConfig(weekday=3, time=dt.time(16, 0)).weekday == 3
    assert ConferenceConfig(weekday="torsdag", time="16.00").time == dt.time(16, 0)


@pytest.mark.parametrize("written", ["false", "off", "null", "~", '"off"'])
def test_reminder_can_be_switched_off(tmp_path, written):
    config = load_text(variant(('reminder: "15:00"', f"reminder: {written}")), tmp_path)
    assert config.conference.reminder is None


def test_reminder_and_call_left_out_mean_off(tmp_path):
    config = load_text(variant(('  call_for_reports: "09:00"\n', ""), ('  reminder: "15:00"\n', "")), tmp_path)
    assert config.conference.call_for_reports is None and config.conference.reminder is None


def test_reminder_after_time(tmp_path):
    text = variant(('reminder: "15:00"', 'reminder: "16:30"'))
    assert problems(text, tmp_path) == ['conference.reminder: "16:30" is not before the conference time "16:00"']


def test_call_for_reports_at_time_and_reminder_before_call(tmp_path):
    text = variant(('call_for_reports: "09:00"', 'call_for_reports: "16:00"'))
    assert problems(text, tmp_path) == [
        'conference.call_for_reports: "16:00" is not before the conference time "16:00"'
    ]
    text = variant(('reminder: "15:00"', 'reminder: "08:00"'))
    assert problems(text, tmp_path) == ['conference.reminder: "08:00" is not after call_for_reports "09:00"']


def test_bounds_and_choices(tmp_path):
    text = variant(("duration_minutes: 60", "duration_minutes: 0"), ("holidays: skip", "holidays: sometimes"))
    assert problems(text, tmp_path) == [
        "conference.duration_minutes: 0 is out of range (1..600)",
        'conference.holidays: "sometimes" is not one of: skip, previous_workday, hold',
    ]


# --------------------------------------------------------------------------- unknown keys

@pytest.mark.parametrize("old, new, line", [
    ("language: sv", "language: sv\nfoo: 1", "foo: unknown key"),
    ("  holidays: skip", "  holidays: skip\n  foo: 1", "conference.foo: unknown key"),
    ("  rotate: true", "  rotate: true\n  foo: 1", "speaking_order.foo: unknown key"),
    ("{id: sos-alarm,", "{id: sos-alarm, foo: 1,", "actors[2].foo: unknown key"),
    ("{user: U0POL001,", "{user: U0POL001, foo: 1,", "members[2].foo: unknown key"),
    ("members:", "digest:\n  foo: 1\nmembers:", "digest.foo: unknown key"),
    ("  reminder:", "  reminders: x\n  reminder:", 'conference.reminders: unknown key (did you mean "reminder"?)'),
])
def test_unknown_key_at_any_depth(tmp_path, old, new, line):
    assert problems(variant((old, new)), tmp_path) == [line]


def test_non_text_keys_are_unknown_keys(tmp_path):
    # YAML 1.1 reads the key `yes` as true
    assert problems(variant(("language: sv", "language: sv\nyes: 1")), tmp_path) == ["true: unknown key"]


def test_missing_keys(tmp_path):
    text = variant(("channel: C0CONF01\n", ""), ('  time: "16:00"\n', ""))
    assert problems(text, tmp_path) == [
        # a missing key sorts after the keys that are there
        "conference.time: required key is missing",
        "channel: required key is missing",
    ]


# --------------------------------------------------------------------------- ids and references

def test_unknown_member_actor(tmp_path):
    text = variant(("{user: U0POL001, actor: polisen,", "{user: U0POL001, actor: polis,"))
    assert problems(text, tmp_path) == ['members[2].actor: unknown actor "polis" (did you mean "polisen"?)']
    text = variant(("{user: U0POL001, actor: polisen,", "{user: U0POL001, actor: kustbevakningen,"))
    assert problems(text, tmp_path) == [
        'members[2].actor: unknown actor "kustbevakningen" '
        "(known: lansstyrelsen, polisen, sos-alarm, ssbf, sbff, attunda and 31 more)"
    ]


def test_unknown_speaking_order_first(tmp_path):
    text = variant(("first: [lansstyrelsen]", "first: [lansstyrelsen, smhi]"))
    (line,) = problems(text, tmp_path)
    assert line.startswith('speaking_order.first[1]: unknown actor "smhi" (known: lansstyrelsen')
    # a misspelt host is one problem, not one more for every actor of the host's category
    text = variant(("first: [lansstyrelsen]", "first: [lansstyrelse]"))
    assert problems(text, tmp_path) == [
        'speaking_order.first[0]: unknown actor "lansstyrelse" (did you mean "lansstyrelsen"?)'
    ]


def test_unknown_role(tmp_path):
    text = variant(("{user: U0POL001, actor: polisen, roles: [tib]}", "{user: U0POL001, actor: polisen, roles: [tib, chef]}"))
    assert problems(text, tmp_path) == [
        'members[2].roles[1]: unknown role "chef" (roles: tib, koordinator, deltagare, admin)'
    ]


def test_roles_must_be_a_list(tmp_path):
    text = variant(("{user: U0POL001, actor: polisen, roles: [tib]}", "{user: U0POL001, actor: polisen, roles: tib}"))
    assert problems(text, tmp_path) == [
        'members[2].roles: expected a list, e.g. [tib, koordinator], got the text "tib"'
    ]


def test_bad_user_id(tmp_path):
    text = variant(("{user: U0POL001,", "{user: anna,"))
    assert problems(text, tmp_path) == [
        'members[2].user: "anna" is not a Slack user id (like "U0123ABCD"; '
        "in Slack: the person's profile → ⋮ → Copy member ID)"
    ]


def test_bad_channel_id(tmp_path):
    text = variant(("channel: C0CONF01", 'channel: "#samverkan"'))
    assert problems(text, tmp_path) == [
        'channel: "#samverkan" is not a Slack channel id (like "C0123ABCD"; '
        "in Slack: the channel's details → About → Channel ID)"
    ]


def test_bad_timezone(tmp_path):
    text = variant(("timezone: Europe/Stockholm", "timezone: Europe/Stokholm"))
    assert problems(text, tmp_path) == [
        'timezone: "Europe/Stokholm" is not a known time zone (did you mean "Europe/Stockholm"?)'
    ]
    text = variant(("timezone: Europe/Stockholm", "timezone: Sverige"))
    assert problems(text, tmp_path) == [
        'timezone: "Sverige" is not a known time zone (IANA name, e.g. "Europe/Stockholm")'
    ]


def test_duplicate_actor(tmp_path):
    text = variant(("{id: ekero,", "{id: polisen,"))
    assert problems(text, tmp_path) == ['actors[13].id: duplicate id "polisen" (also actors[1])']


def test_actor_id_with_swedish_letters(tmp_path):
    text = variant(("{id: jarfalla,", "{id: järfälla,"), ("{id: taby,", "{id: Täby,"))
    assert problems(text, tmp_path) == [
        'actors[16].id: "järfälla" is not a valid id: "ä" not allowed (use a-z, 0-9 and "-", e.g. "jarfalla")',
        'actors[30].id: "Täby" is not a valid id: "T", "ä" not allowed (use a-z, 0-9 and "-", e.g. "taby")',
    ]


def test_unknown_category(tmp_path):
    text = variant(("{id: sos-alarm, name: SOS Alarm, category: blåljus}", "{id: sos-alarm, name: SOS Alarm, category: larm}"))
    assert problems(text, tmp_path) == [
        'actors[2].category: "larm" is neither in speaking_order.categories '
        "(blåljus, sjukvård, trafik, kommun, övriga) nor the category of a speaking_order.first actor (värd): "
        "the actor would never get the floor"
    ]
    text = variant(("category: blåljus}", "category: blaljus}"))
    assert problems(text, tmp_path) == [
        'actors[1].category: "blaljus" is not in speaking_order.categories (did you mean "blåljus"?): '
        "the actor would never get the floor"
    ]


def test_host_category_counts_for_other_actors(tmp_path):
    text = variant(("{id: polisen, name: Polisregion Stockholm, category: blåljus}",
                    "{id: polisen, name: Polisregion Stockholm, category: värd}"))
    assert load_text(text, tmp_path).actor("polisen").category == "värd"


def test_duplicate_member_row(tmp_path):
    text = STOCKHOLM_TEXT + "  - {user: U0TRV001, actor: trafikverket, roles: [koordinator]}\n"
    assert problems(text, tmp_path) == [
        "members[10]: U0TRV001 is already a member of trafikverket (members[6]): give all their roles in one row"
    ]


def test_duplicate_yaml_key(tmp_path):
    text = variant(("  duration_minutes: 60", "  duration_minutes: 60\n  duration_minutes: 90"))
    assert problems(text, tmp_path) == ["conference.duration_minutes: duplicate key (first given on line 12)"]


def test_activation_and_digest_sections(tmp_path):
    text = STOCKHOLM_TEXT + (
        "digest: {weekday: fredag, time: 8.30, enabled: false}\n"
        "action_items: {remind_unacknowledged_hours: 48, remind_due_days: 2}\n"
        "activation: {separate_channel: true, channel_prefix: kris}\n"
    )
    config = load_text(text, tmp_path)
    assert (config.digest.weekday, config.digest.time, config.digest.enabled) == (4, dt.time(8, 30), False)
    assert (config.action_items.remind_unacknowledged_hours, config.action_items.remind_due_days) == (48, 2)
    assert (config.activation.separate_channel, config.activation.channel_prefix) == (True, "kris")
    text = STOCKHOLM_TEXT + "activation: {separate_channel: ja, channel_prefix: Kris Läge}\n"
    assert problems(text, tmp_path) == [
        'activation.separate_channel: expected true or false, got the text "ja"',
        'activation.channel_prefix: "Kris Läge" is not usable in a Slack channel name '
        '(lowercase a-z, 0-9, "-" and "_", at most 50 characters)',
    ]


# --------------------------------------------------------------------------- several problems

def test_several_problems_give_several_lines_in_file_order(tmp_path):
    text = variant(
        ("channel: C0CONF01", "channel: general"),
        ("weekday: thursday", "weekday: thorsday"),
        ('time: "16:00"', 'time: "25:00"'),
        ("{id: sos-alarm,", "{id: sos-alarm, foo: 1,"),
        ("{user: U0POL001, actor: polisen,", "{user: U0POL001, actor: polis,"),
    )
    assert problems(text, tmp_path) == [
        'channel: "general" is not a Slack channel id (like "C0123ABCD"; '
        "in Slack: the channel's details → About → Channel ID)",
        'conference.weekday: "thorsday" is not a weekday (monday … sunday)',
        'conference.time: "25:00" is not a time (expected HH:MM, e.g. "16:00")',
        "actors[2].foo: unknown key",
        'members[2].actor: unknown actor "polis" (did you mean "polisen"?)',
    ]


def test_broken_actor_list_is_reported_once(tmp_path):
    text = variant(("actors:\n", "actors: 5\nunused:\n"))
    assert problems(text, tmp_path) == [
        "actors: expected a list, e.g. [{id: polisen, name: Polisen, category: blåljus}], got the number 5",
        "unused: unknown key",
    ]


# --------------------------------------------------------------------------- whole-file problems

def test_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as info:
        load_region(path)
    assert info.value.problems == [f"{path}: no such file"]


def test_bad_yaml(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("region: Stockholm\nchannel: a: b\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_region(path)
    assert info.value.problems == [f"{path}:2:11: invalid YAML: mapping values are not allowed here"]


@pytest.mark.parametrize("text, message", [
    ("", "the region file is empty"),
    ("# only a comment\n", "the region file is empty"),
    ("- a\n- b\n", "expected a mapping of keys (region:, timezone:, channel:, …) at the top level, got a list"),
])
def test_empty_or_not_a_mapping(tmp_path, text, message):
    path = tmp_path / "region.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_region(path)
    assert info.value.problems == [f"{path}: {message}"]


def test_parse_region_names_its_source():
    with pytest.raises(ConfigError) as info:
        parse_region(["x"], source="test-data")
    assert info.value.problems[0].startswith("test-data: expected a mapping")


# --------------------------------------------------------------------------- environment

TOKENS = {
    "SLACK_BOT_TOKEN": "xoxb-111-222-secretbotpart",
    "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
    "SLACK_APP_TOKEN": "xapp-1-A111-222-secretapppart",
}


def test_settings_defaults():
    settings = load_settings({})
    assert settings == Settings()
    assert settings.slack_bot_token is None
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url == "sqlite:///./samverkan.db"
    assert settings.config_path == Path("./samverkan.yaml")
    assert (settings.port, settings.log_level) == (3000, "INFO")


def test_settings_from_environment():
    env = {**TOKENS, "SLACK_API_URL": "http://127.0.0.1:8099/api", "SAMVERKAN_CONFIG": "/etc/samverkan/region.yaml",
           "PORT": "8080", "LOG_LEVEL": "debug"}
    settings = load_settings(env, require=RUN_HTTP_REQUIRES)
    assert settings.slack_bot_token == TOKENS["SLACK_BOT_TOKEN"]
    assert settings.slack_signing_secret == TOKENS["SLACK_SIGNING_SECRET"]
    assert settings.slack_api_url == "http://127.0.0.1:8099/api/"
    assert settings.config_path == Path("/etc/samverkan/region.yaml")
    assert (settings.port, settings.log_level) == (8080, "DEBUG")


def test_run_requires_bot_token_and_signing_secret():
    with pytest.raises(SettingsError) as info:
        load_settings({}, require=RUN_HTTP_REQUIRES)
    assert info.value.problems == [
        "SLACK_BOT_TOKEN is not set (the Slack app's Bot User OAuth Token, xoxb-…, OAuth & Permissions)",
        "SLACK_SIGNING_SECRET is not set (the Slack app's signing secret, Basic Information → App Credentials)",
    ]
    with pytest.raises(SettingsError) as info:
        load_settings({"SLACK_BOT_TOKEN": TOKENS["SLACK_BOT_TOKEN"], "SLACK_SIGNING_SECRET": "  "},
                      require=RUN_HTTP_REQUIRES)
    assert str(info.value) == (
        "SLACK_SIGNING_SECRET is not set (the Slack app's signing secret, Basic Information → App Credentials)"
    )


def test_socket_mode_requires_app_token():
    env = {"SLACK_BOT_TOKEN": TOKENS["SLACK_BOT_TOKEN"]}
    with pytest.raises(SettingsError) as info:
        load_settings(env, require=RUN_SOCKET_MODE_REQUIRES)
    (line,) = info.value.problems
    assert line.startswith("SLACK_APP_TOKEN is not set (an app-level token with connections:write")
    settings = load_settings({**env, "SLACK_APP_TOKEN": TOKENS["SLACK_APP_TOKEN"]}, require=RUN_SOCKET_MODE_REQUIRES)
    assert settings.slack_signing_secret is None


@pytest.mark.parametrize("env, line", [
    ({"SLACK_BOT_TOKEN": "xoxp-123-user-S3CR3T"},
     "SLACK_BOT_TOKEN must start with xoxb- (this is a user token, expected the Bot User OAuth Token)"),
    ({"SLACK_BOT_TOKEN": "S3CR3T-nonsense"},
     "SLACK_BOT_TOKEN must start with xoxb- (expected the Bot User OAuth Token)"),
    ({"SLACK_APP_TOKEN": "xoxb-123-bot-S3CR3T"},
     "SLACK_APP_TOKEN must start with xapp- (this is a bot token, expected an app-level token)"),
    ({"SLACK_SIGNING_SECRET": "xoxb-123-bot-S3CR3T"},
     "SLACK_SIGNING_SECRET looks like a token, not the signing secret (Basic Information → App Credentials)"),
    ({"PORT": "http"}, "PORT is not a number: 'http'"),
    ({"PORT": "70000"}, "PORT must be between 1 and 65535, got 70000"),
    ({"LOG_LEVEL": "loud"}, "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'loud'"),
    ({"SLACK_API_URL": "slack.com/api"},
     "SLACK_API_URL must be an http(s) URL such as https://slack.com/api/, got 'slack.com/api'"),
    ({"DATABASE_URL": "mysql://bot:S3CR3T@db/samverkan"},
     "DATABASE_URL has the unsupported scheme 'mysql' (use sqlite:// or postgresql://)"),
    ({"DATABASE_URL": "./samverkan.db"},
     "DATABASE_URL is not a URL (e.g. sqlite:///./samverkan.db or postgresql://user:password@host/db)"),
])
def test_wrong_shapes_name_the_variable_and_hide_the_value(env, line):
    with pytest.raises(SettingsError) as info:
        load_settings(env)
    assert info.value.problems == [line]
    assert "S3CR3T" not in str(info.value)


def test_all_problems_are_reported_one_line_each():
    env = {"SLACK_BOT_TOKEN": "xapp-1-x", "PORT": "0", "LOG_LEVEL": "verbose"}
    with pytest.raises(SettingsError) as info:
        load_settings(env, require=RUN_HTTP_REQUIRES)
    assert [line.split()[0] for line in info.value.problems] == [
        "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "PORT", "LOG_LEVEL",
    ]


@pytest.mark.parametrize("given, expected", [
    ("sqlite:///./samverkan.db", "sqlite:///./samverkan.db"),
    ("sqlite:////var/lib/samverkan/bot.db", "sqlite:////var/lib/samverkan/bot.db"),
    ("sqlite://", "sqlite://"),
    ("postgres://bot:pw@db:5432/samverkan", "postgresql+psycopg://bot:pw@db:5432/samverkan"),
    ("postgresql://bot:pw@db/samverkan?sslmode=require", "postgresql+psycopg://bot:pw@db/samverkan?sslmode=require"),
    ("postgresql+psycopg://bot@db/samverkan", "postgresql+psycopg://bot@db/samverkan"),
])
def test_database_url_normalisation(given, expected):
    assert load_settings({"DATABASE_URL": given}).database_url == expected


def test_database_url_other_driver():
    with pytest.raises(SettingsError) as info:
        load_settings({"DATABASE_URL": "postgresql+psycopg2://bot:pw@db/samverkan"})
    assert str(info.value) == "DATABASE_URL uses the driver 'psycopg2'; write postgresql:// (the bot uses psycopg 3)"


def test_repr_hides_secrets():
    env = {**TOKENS, "DATABASE_URL": "postgresql://bot:dbsecretpw@db/samverkan"}
    settings = load_settings(env)
    for text in (repr(settings), str(settings), f"{settings}"):
        for secret in (*TOKENS.values(), "dbsecretpw"):
            assert secret not in text
        assert "slack_bot_token='***'" in text
        assert "postgresql+psycopg://bot:***@db/samverkan" in text
    assert "slack_app_token=None" in repr(load_settings({}))
    assert redact_url("sqlite:///./x.db") == "sqlite:///./x.db"


def test_require_names_must_be_known():
    with pytest.raises(ValueError):
        load_settings({}, require=["SLACK_TOKEN"])
