"""Every sentence a user reads, in one catalog per language: `vi.py` and `en.py`, keyed by message id.

    from dvcq.core.messages import say
    say("vi", "note.created", path="ledger.sqlite3")   # -> "đã tạo sổ theo dõi mới tại ledger.sqlite3"

A module per language (a dict of ids to `str.format` templates) rather than gettext .po files: the
lookup costs no parsing at start-up and no build step, and the ids double as documentation. A
message missing from a language falls back to Vietnamese, the language of the documents, and a
test checks that both catalogs hold the same ids. No code outside this package branches on the
language to choose a sentence: it asks for an id.
"""
from __future__ import annotations

LANGS = ("vi", "en")
_loaded: dict[str, dict[str, str]] = {}


def catalog(lang: str) -> dict[str, str]:
    lang = lang if lang in LANGS else "vi"
    found = _loaded.get(lang)
    if found is None:
        if lang == "en":
            from dvcq.core.messages.en import MESSAGES
        else:
            from dvcq.core.messages.vi import MESSAGES
        found = _loaded[lang] = MESSAGES
    return found


def say(lang: str, msg_id: str, /, **values) -> str:
    """The message `msg_id` in `lang`, filled with `values` (Vietnamese where `lang` lacks it)."""
    template = catalog(lang).get(msg_id)
    if template is None:
        template = catalog("vi")[msg_id]  # a KeyError here is a bug: an id no catalog has
    return template.format(**values) if values else template


def words(lang: str, msg_id: str) -> tuple[str, ...]:
    """A message that is a list (weekday names, column headers): stored as '|'-separated text."""
    return tuple(say(lang, msg_id).split("|"))


def pick(lang: str, vi: str, en: str | None) -> str:
    """A value that data gives in both languages (a day off's name in a notices file): the run's
    language, Vietnamese where the data has no English."""
    return en if lang == "en" and en else vi


class Said(str):
    """A text said by message id: as a `str` it is the English (what logs, tests and `str()` see);
    `in_lang(lang)` says it in any language. Code that does not know the run's language (a reason
    deep in the import of a register, a part of an error) gives one of these, and what prints it
    says it in the run's language (`said`). Its values may be Said themselves."""

    msg_id: str
    values: dict

    def __new__(cls, msg_id: str, /, **values):
        self = super().__new__(cls, say_all("en", msg_id, values))
        self.msg_id, self.values = msg_id, values
        return self

    def in_lang(self, lang: str) -> str:
        return say_all(lang, self.msg_id, self.values)


def say_all(lang: str, msg_id: str, values: dict) -> str:
    """`say`, with the values that are Said said in the same language."""
    return say(lang, msg_id, **{k: v.in_lang(lang) if isinstance(v, Said) else v for k, v in values.items()})


def said(text: str, lang: str) -> str:
    """A text in `lang`: a Said said again, any other text as it is."""
    return text.in_lang(lang) if isinstance(text, Said) else text
