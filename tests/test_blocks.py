"""Splitting within Slack's limits: nothing cut, nothing over."""
from __future__ import annotations

import random

from bot.slack import blocks as bk


def test_split_text_keeps_every_word_and_respects_the_limit():
    rnd = random.Random(7)
    words = ["".join(rnd.choice("abcåäö") for _ in range(rnd.randint(1, 12))) for _ in range(3000)]
    text = ""
    for i, w in enumerate(words):
        text += w + ("\n\n" if i % 97 == 0 else "\n" if i % 13 == 0 else " ")
    pieces = bk.split_text(text, 500)
    assert all(len(p) <= 500 for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_split_text_hard_cuts_one_giant_word_without_losing_it():
    word = "x" * 7001
    pieces = bk.split_text(word, 3000)
    assert [len(p) for p in pieces] == [3000, 3000, 1001] and "".join(pieces) == word


def test_short_text_is_one_section():
    assert bk.sections("hej") == [{"type": "section", "text": {"type": "mrkdwn", "text": "hej"}}]


def test_paginate_keeps_order_and_limits():
    blocks = bk.sections("\n\n".join(f"stycke {i} " + "ord " * 400 for i in range(60)))
    pages = bk.paginate(blocks)
    assert [b for p in pages for b in p] == blocks
    for page in pages:
        assert len(page) <= bk.BLOCKS_PER_MESSAGE
        assert sum(bk.block_text_length(b) for b in page) <= bk.MESSAGE_TEXT_BUDGET
    many_small = [bk.divider()] * 120
    assert [len(p) for p in bk.paginate(many_small)] == [50, 50, 20]


def test_fallback_is_short_and_single_line():
    text = bk.fallback("rad ett\nrad två " + "x" * 5000)
    assert "\n" not in text and len(text) <= bk.FALLBACK_MAX
