"""The texts people read: Jinja2 templates and strings/*.yaml per language (sv, en).

Not code. setup.py installs this folder as the package `samverkan_templates`, so that
bot.render finds the templates through importlib.resources in any installation.
"""
