"""The fields of a lägesbild (after MSB's definition, see shared/glossary.md) and their limits.

The Swedish labels live in templates/sv/strings/report.yaml as `report_field_<key>`;
here are only the keys, their order and the limits the core enforces.
"""
from __future__ import annotations

# In the order they are asked for and shown.
FIELDS: tuple[str, ...] = (
    "lage",           # Läge nu (situation and assessment)
    "intraffat",      # Inträffade händelser sedan förra konferensen
    "kommande",       # Kommande händelser
    "konsekvenser",   # Konsekvenser och risker
    "atgarder",       # Vidtagna åtgärder och resurser
    "behov",          # Behov av samverkan/samordning
    "kommunikation",  # Kommunikation (budskap, media)
)
QUICK_FIELD = "lage"  # `/lagesbild <text>` fills this one
NEEDS_FIELD = "behov"  # non-empty: the actor needs coordination

STATUSES: tuple[str, ...] = ("normal", "påverkad", "allvarlig")

# Characters per field. Slack's plain_text_input allows at most 3000 (max_length), and the
# quick command keeps to the same limit so a quick report can always be edited in the modal.
MAX_CHARS = 3000


def clean(fields: dict[str, object] | None) -> dict[str, str]:
    """Known fields with their text stripped; empty ones left out."""
    out: dict[str, str] = {}
    for key in FIELDS:
        value = (fields or {}).get(key)
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()
    return out


def too_long(fields: dict[str, str]) -> dict[str, int]:
    """Fields over MAX_CHARS, with their length."""
    return {k: len(v) for k, v in fields.items() if len(v) > MAX_CHARS}


def has_words(text: str) -> bool:
    """A report needs at least one letter or digit ("..." or "-" is not a lägesbild)."""
    return any(ch.isalnum() for ch in text)
