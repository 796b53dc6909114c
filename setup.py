"""Package discovery (everything else is in pyproject.toml).

Two folders are installed under other names:
- tests/slack_emulator/ as `samverkan_emulator`: the strict Slack emulator lives with the
  tests that use it, and `samverkan demo` runs a whole conference against it in-process.
- templates/ as `samverkan_templates`: the texts people read stay at the top of the
  repository, and bot.render reads them from the installed package (importlib.resources).
"""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["bot", "bot.*", "handlers", "handlers.*"])
    + ["samverkan_emulator", "samverkan_templates"],
    package_dir={"samverkan_emulator": "tests/slack_emulator", "samverkan_templates": "templates"},
)
