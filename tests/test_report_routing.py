"""What `/lagesbild …` asks for (pure parsing; no database)."""
from __future__ import annotations

import pytest

from bot.report.routing import HELP, MODAL, NOTHING, QUICK, STATUS, decode, parse


@pytest.mark.parametrize("text, verb, body, ordinary", [
    ("", MODAL, "", False),
    ("   ", MODAL, "", False),
    ("status", STATUS, "", False),
    ("Status", STATUS, "", False),
    ("inget", NOTHING, "", False),
    ("Inget nytt att rapportera.", NOTHING, "", False),
    ("hjälp", HELP, "", False),
    ("Lugnt i länet.", QUICK, "Lugnt i länet.", False),
    ("inget att rapportera utom en vattenläcka", QUICK, "inget att rapportera utom en vattenläcka", False),
    ("status: påverkad av stormen", QUICK, "status: påverkad av stormen", False),
    ("ordinarie", MODAL, "", True),
    ("ordinarie inget", NOTHING, "", True),
    ("ordinarie status", STATUS, "", True),
    ("ordinarie Normal vecka.", QUICK, "Normal vecka.", True),
    ("Rad ett\nrad två", QUICK, "Rad ett\nrad två", False),
])
def test_parse(text, verb, body, ordinary):
    cmd = parse(text)
    assert (cmd.verb, cmd.text, cmd.ordinary) == (verb, body, ordinary)


def test_ordinarie_is_given_back_to_the_text_when_it_was_just_a_word():
    cmd = parse("Ordinarie verksamhet, inga störningar.")
    assert cmd.ordinary and cmd.text == "verksamhet, inga störningar."
    assert cmd.without_keyword().text == "Ordinarie verksamhet, inga störningar."
    assert not cmd.without_keyword().ordinary
    assert parse("ordinarie inget").without_keyword().verb == NOTHING


def test_slack_entities_are_decoded_once():
    assert decode("a &lt;!channel&gt; &amp; b") == "a <!channel> & b"
    assert decode("&amp;lt;") == "&lt;"  # a typed "&lt;" stays as typed
    assert parse("&lt;@U0SOS001&gt; ring").text == "<@U0SOS001> ring"
