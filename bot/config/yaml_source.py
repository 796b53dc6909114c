"""Reading a region file's YAML: safe, with times kept as text and duplicate keys found.

Two YAML 1.1 pitfalls are handled here rather than left to the operator:

* an unquoted ``16:00`` would load as the number 960 (base 60) and ``16.00`` as
  the float 16.0; plain scalars of the shape ``H:MM``/``HH:MM``/``HH.MM`` are read
  as text instead, so unquoted times mean what they say;
* a key given twice in one mapping would silently keep only the last value
  (a second ``members:`` block would drop the first); it is reported instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.config.errors import ConfigError, Problem

_TIME_SCALAR = re.compile(r"^\d{1,2}[:.]\d{2}$")
_STR_TAG = "tag:yaml.org,2002:str"


class _RegionLoader(yaml.SafeLoader):
    """SafeLoader whose plain time-like scalars resolve to strings."""


# Resolvers are looked up by first character and the first match wins, so put
# ours in front of the int/float resolvers for every digit (copying the lists,
# never touching SafeLoader's own).
_RegionLoader.yaml_implicit_resolvers = {
    first: list(resolvers) for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _digit in "0123456789":
    _RegionLoader.yaml_implicit_resolvers.setdefault(_digit, []).insert(0, (_STR_TAG, _TIME_SCALAR))


def parse_yaml(text: str, source: str) -> tuple[object, list[Problem]]:
    """The document's data, and any duplicate keys. Bad YAML raises ConfigError (one line)."""
    loader = _RegionLoader(text)
    try:
        node = loader.get_single_node()
        duplicates = list(_duplicate_keys(node, (), set())) if node is not None else []
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise ConfigError([_yaml_error_line(exc, source)], source) from None
    finally:
        loader.dispose()
    return data, duplicates


def read_yaml(path: str | Path) -> tuple[object, list[Problem]]:
    """Read and parse a file; any reason it cannot be read is a one-line ConfigError."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError([f"{source}: no such file"], source) from None
    except IsADirectoryError:
        raise ConfigError([f"{source}: is a directory, not a region file"], source) from None
    except PermissionError:
        raise ConfigError([f"{source}: permission denied"], source) from None
    except OSError as exc:
        raise ConfigError([f"{source}: cannot be read ({exc.strerror or exc})"], source) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError([f"{source}:{line}: not UTF-8 text (save the file as UTF-8)"], source) from None
    return parse_yaml(text, source)


def _yaml_error_line(exc: yaml.YAMLError, source: str) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark is not None else source
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    hint = ""
    if "\\t" in problem or "\t" in problem:
        hint = " (indent with spaces, not tabs)"
    elif "another document" in problem:
        problem, hint = "more than one YAML document", " (remove the extra ---)"
    return f"{where}: invalid YAML: {problem}{hint}"


def _duplicate_keys(node: Node, path: tuple, seen_nodes: set[int]):
    if id(node) in seen_nodes:  # aliases may share (or even contain) nodes
        return
    seen_nodes.add(id(node))
    if isinstance(node, MappingNode):
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key is not None and key != "<<":
                if key in first_line:
                    yield Problem(path + (key,), f"duplicate key (first given on line {first_line[key]})")
                else:
                    first_line[key] = key_node.start_mark.line + 1
            yield from _duplicate_keys(value_node, path + ((key,) if key is not None else ()), seen_nodes)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, path + (index,), seen_nodes)
