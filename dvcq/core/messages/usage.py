"""Click's own usage errors ("No such option", "Missing argument", "Invalid value" ...) said in the
run's language.

Typer vendors its own click, whose messages are English literals (no gettext to translate them
through), so the command line catches the usage error and says it again from what the exception
carries: its class, the option or parameter it names, the possibilities it offers. What click
builds into a sentence (an extra argument, a command it does not know) is read back by the
literal click wrote; a message of another shape is left as click wrote it.
"""
from __future__ import annotations

import re

from dvcq.core.messages import say

# click's literal sentences (typer/_click: core.py, parser.py, types.py), read back into values
_SENTENCES = (
    (re.compile(r"No such command '(?P<name>.*)'\.\Z", re.S), "usage.no_command"),
    (re.compile(r"Missing command\.\Z"), "usage.missing_command"),
    (re.compile(r"Got unexpected extra argument\(s\) \((?P<args>.*)\)\Z", re.S), "usage.extra"),
    (re.compile(r"Option '(?P<option>[^']*)' requires an argument\.\Z"), "usage.needs_value"),
    (re.compile(r"Option '(?P<option>[^']*)' requires (?P<count>\d+) arguments\.\Z"), "usage.needs_values"),
    (re.compile(r"Option '(?P<option>[^']*)' does not take a value\.\Z"), "usage.no_value"),
    (re.compile(r"Argument '(?P<name>[^']*)' takes (?P<count>\d+) values\.\Z"), "usage.takes_values"),
    (re.compile(r"'(?P<value>.*)' is not a valid (?P<kind>integer|float|boolean|UUID|integer range|float range)\b.*\Z",
                re.S), "usage.not_a"),
)


def _hint(exc) -> str:
    hint = getattr(exc, "param_hint", None)
    if hint is None and getattr(exc, "param", None) is not None:
        try:
            hint = exc.param.get_error_hint(exc.ctx)
        except Exception:  # noqa: BLE001 - a hint is a courtesy; the message stands without it
            hint = None
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(x) for x in hint)
    return hint or ""


def _sentence(message: str, lang: str) -> str | None:
    for pattern, msg_id in _SENTENCES:
        m = pattern.match(message)
        if m:
            return say(lang, msg_id, **m.groupdict())
    return None


def usage_error(exc, lang: str) -> str:
    """One line for a click/typer usage error `exc`, in `lang`."""
    kind = type(exc).__name__
    message = str(getattr(exc, "message", "") or "")
    if kind == "NoSuchOption":
        text = say(lang, "usage.no_option", option=exc.option_name)
        if exc.possibilities:
            text += say(lang, "usage.possible", options=", ".join(sorted(exc.possibilities)))
        return text
    if kind == "MissingParameter":
        what = exc.param_type or (exc.param.param_type_name if getattr(exc, "param", None) is not None else "")
        what = what if what in ("argument", "option") else "parameter"
        param = getattr(exc, "param", None)
        name = f"{{{param.name}}}" if what == "argument" and param is not None else _hint(exc)  # as the usage line shows it
        return say(lang, f"usage.missing_{what}", name=name)
    if kind == "BadParameter":
        said = _sentence(message, lang) or message
        hint = _hint(exc)
        return say(lang, "usage.bad_value_for", name=hint, why=said) if hint else say(lang, "usage.bad_value", why=said)
    said = _sentence(message, lang)
    if said is not None:
        return said
    return exc.format_message() if hasattr(exc, "format_message") else message
