"""Package discovery (everything else is in pyproject.toml).

The strict Slack emulator lives in tests/slack_emulator/ with the tests that use it, and
is installed as the package `samverkan_emulator` because `samverkan demo` runs a whole
conference against it inside the process.
"""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["bot", "bot.*", "handlers", "handlers.*"]) + ["samverkan_emulator"],
    package_dir={"samverkan_emulator": "tests/slack_emulator"},
)
