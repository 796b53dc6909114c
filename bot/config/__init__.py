"""Configuration: the region file (YAML) and the environment settings, validated.

    from bot.config import load_region, load_settings, ConfigError, SettingsError
"""

from bot.config.env import (
    LOG_LEVELS,
    RUN_HTTP_REQUIRES,
    RUN_SOCKET_MODE_REQUIRES,
    VARIABLES,
    Settings,
    SettingsError,
    load_settings,
    redact_url,
)
from bot.config.errors import ConfigError
from bot.config.fields import ROLES, WEEKDAYS
from bot.config.region import (
    ActionItemsConfig,
    ActivationConfig,
    ActorConfig,
    ConferenceConfig,
    DigestConfig,
    MemberConfig,
    RegionConfig,
    SpeakingOrderConfig,
    load_region,
    parse_region,
)

__all__ = [
    "LOG_LEVELS",
    "ROLES",
    "RUN_HTTP_REQUIRES",
    "RUN_SOCKET_MODE_REQUIRES",
    "VARIABLES",
    "WEEKDAYS",
    "ActionItemsConfig",
    "ActivationConfig",
    "ActorConfig",
    "ConferenceConfig",
    "ConfigError",
    "DigestConfig",
    "MemberConfig",
    "RegionConfig",
    "Settings",
    "SettingsError",
    "SpeakingOrderConfig",
    "load_region",
    "load_settings",
    "parse_region",
    "redact_url",
]
