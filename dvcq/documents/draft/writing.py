"""Writing YAML: the drafted plan file, with a commented ``# TODO`` block for every sentence left for
review, and the `Draft` it is returned as."""
from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass

from dvcq.documents.draft.header import _Header, _Task, _norm, _verbatim
from dvcq.documents.draft.reading import SCHEMA_LINE
from dvcq.documents.draft.rules import _Rule
from dvcq.documents.draft.kinds import _Statement


# ================================================================================================
# The result
# ================================================================================================


@dataclass(frozen=True)
class Draft:
    """A drafted plan file. ``rules`` counts the report rules written (key tasks of an appendix
    are listed separately by ``summary``); ``todo`` holds the sentences left for review, each also
    in the file as a commented ``# TODO`` block."""

    yaml: str
    rules: int
    todo: tuple[str, ...]
    seen: int = 0  # sentences with a deadline word or a report kind
    ruled: int = 0  # of those, the ones that gave a rule (the others are each a # TODO)
    explained: tuple = ()  # (section, sentence, ((message id, values), ...)) for each sentence seen

    def summary(self, lang: str = "vi") -> list[str]:
        from dvcq.core.messages import say

        tasks = len(re.findall(r"^  - id: task-\d+$", self.yaml, flags=re.M))
        errata = _yaml_list_len(self.yaml, "errata")
        plan = re.search(r"^id: (\S+)$", self.yaml, flags=re.M)
        lines = [say(lang, "draft.read", seen=self.seen, ruled=self.ruled, rules=self.rules,
                     review=self.seen - self.ruled)]
        if tasks:
            lines.append(say(lang, "draft.tasks", tasks=tasks))
        if errata:
            lines.append(say(lang, "draft.errata", errata=errata))
        lines.append(say(lang, "draft.check", plan=plan.group(1) if plan else "?"))
        return lines

    def explain(self, lang: str = "vi") -> list[str]:
        """Each sentence seen, in document order, with what the draft made of it."""
        from dvcq.core.messages import say

        out = []
        for where, sentence, outcomes in self.explained:
            out.append(say(lang, "draft.explain.sentence", where=where, sentence=sentence))
            for msg, values in outcomes:  # a reason for review is said in the run's language too
                values = {k: say(lang, v.msg, **v.values) if hasattr(v, "msg") else v for k, v in values.items()}
                out.append(say(lang, msg, **values))
        out.append(say(lang, "draft.explain.total", seen=self.seen, ruled=self.ruled, review=self.seen - self.ruled))
        return out


def _yaml_list_len(text: str, key: str) -> int:
    m = re.search(rf"^{key}:\n((?:  - .*\n)+)", text, flags=re.M)
    return len(m.group(1).splitlines()) if m else 0



# ================================================================================================
# YAML
# ================================================================================================


def _scalar(value: str) -> str:
    """Plain where YAML reads it back as the same text, else double-quoted."""
    import yaml

    if value and value[0].isalpha() and value == value.strip() and ": " not in value and " #" not in value \
            and not value.endswith(":") and "\n" not in value and "\t" not in value:
        with contextlib.suppress(yaml.YAMLError):
            if yaml.safe_load(value) == value:
                return value
    return _quoted(value)


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _comment(text: str, indent: str, first: str = "# ", width: int = 100, rest: str = "#   ") -> list[str]:
    out, line = [], indent + first
    rest = indent + rest
    for word in text.split():
        if len(line) + len(word) + 1 > width and line.strip() not in ("#", "# TODO"):
            out.append(line.rstrip())
            line = rest
        line += word + " "
    out.append(line.rstrip())
    return out


def _where(section: str) -> str:
    return section or "đầu văn bản"  # before the first numbered section


def _todo_block(section: str, sentence: str, why: str, indent: str) -> list[str]:
    lines = _comment(f"{why}.", indent, first=f"# TODO {_where(section)}: ")
    lines += _comment(f"«{_norm(sentence)}»", indent, first="#   ")
    return lines


def _render(header: _Header, source_name: str, errata: list[str], rules: list[_Rule], tasks: list[_Task],
            task_todos: list[tuple[_Task, str]], todos: list[_Statement], source: str) -> tuple[str, list[str]]:
    todo_items: list[str] = []
    out = [SCHEMA_LINE]
    out += _comment(f"Bản nháp do `dvcq draft` viết{' từ ' + source_name if source_name else ''}: đối chiếu từng "
                    "quy tắc với văn bản, sửa những chỗ # TODO, rồi chạy `dvcq check` trước khi dùng.", "", rest="# ")
    out.append(f"id: {header.plan_id}")
    out.append(f"issuer: {_scalar(header.issuer or 'TODO')}")
    if not header.issuer:
        out.insert(-1, "# TODO: không tìm thấy cơ quan ban hành: điền tên (vd. UBND tỉnh ...)")
    if header.document:
        out.append(f"document: {_scalar(header.document)}")
    else:
        out.append("# TODO: không tìm thấy số ký hiệu văn bản (Số: .../KH-...): điền từ bản gốc")
    if header.issued:
        out.append(f"issued: {header.issued}")
        out.append(f"issued_text: {_quoted(header.issued_text)}")
    else:
        out.append("# TODO: không tìm thấy ngày ban hành (..., ngày ... tháng ... năm ...): điền từ bản gốc")
    for note in header.notes:
        out.append(f"# TODO: {note}")
    out.append(f"years: [{header.year}]")
    if header.title:
        out.append(f"title: {_scalar(header.title)}")
    if source_name:
        out.append(f"seed: {_scalar(source_name)}")
    out.append("roll: next")
    if errata:
        out.append("errata:")
        out += [f"  - {_quoted(e)}" for e in errata]
    out.append("")
    out.append("reports:" if rules else "reports: []")
    for r in rules:
        for sentence, why in r.todo:
            sentence = _verbatim(sentence, source) or _norm(sentence)
            todo_items.append(f"{_where(r.st.block.section)}: {sentence} ({why})")
            out += _todo_block(r.st.block.section, sentence, f"{r.id}: {why}", "  ")
        out.append(f"  - id: {r.id}")
        out.append(f"    title: {_scalar(r.title)}")
        out.append(f"    every: {r.every}")
        if r.every == "once" and r.st.kind != "plan-submission":
            out.append("    # câu này không nói việc lặp lại hằng năm: every: once (sửa thành year nếu có)")
        if r.periods:
            out.append(f"    periods: [{', '.join(str(p) for p in r.periods)}]")
        if r.sender:
            out.append(f"    sender: {_scalar(r.sender)}")
        if r.recipient:
            out.append(f"    recipient: {_scalar(r.recipient)}")
        if not r.per_unit:
            out.append(f"    per_unit: false  # một cơ quan làm ({r.sender}), không phải mọi đơn vị")
        if r.due_text:
            out.append(f"    due: {_quoted(r.due_text)}")
        if r.window_text:
            out.append(f"    window: {_quoted(r.window_text)}")
        elif r.window_none:
            out.append("    window: none")
        for c in r.comments:
            out += _comment(c, "    ")
        if r.merged:
            out.append("    merged: {" + ", ".join(f"{m}: {t}" for m, t in sorted(r.merged.items())) + "}")
        if r.feeds:
            out.append(f"    feeds: {r.feeds}")
        if r.note:
            out.append(f"    note: {_quoted(r.note)}")
        out.append("    source:")
        out.append(f"      section: {_scalar(r.st.block.section) if r.st.block.section else _quoted('')}")
        out.append(f"      quote: {_quoted(r.quote)}")
        if r.erratum:
            out.append(f"      erratum: {_quoted(r.erratum)}")
    if tasks:
        out.append("")
        out.append("# Phụ lục: nhiệm vụ trọng tâm, mỗi việc đến hạn vào ngày cuối của kỳ hoàn thành.")
        out.append("tasks:")
        unread = {id(t): why for t, why in task_todos}
        for t in tasks:
            if id(t) in unread:
                quote = _verbatim(t.quote, source) or _norm(t.quote)
                todo_items.append(f"Phụ lục, dòng {t.row}: {quote} ({unread[id(t)]})")
                out += _todo_block(f"Phụ lục, dòng {t.row}", quote, f"task-{t.number}: {unread[id(t)]}", "  ")
            out.append(f"  - id: task-{t.number}")
            out.append(f"    title: {_scalar(t.title or f'Nhiệm vụ {t.number}')}")
            if t.lead:
                out.append(f"    lead: {_scalar(t.lead)}")
            if t.partners:
                out.append(f"    partners: {_scalar(t.partners)}")
            out.append(f"    complete: [{', '.join(_quoted(c) for c in t.complete)}]")
            if t.complete_text:
                out.append(f"    complete_text: {_quoted(t.complete_text)}")
            out.append(f"    source: {{section: {_quoted(f'Phụ lục, dòng {t.row}')}, "
                       f"quote: {_quoted(_verbatim(t.quote, source))}}}")
    if todos:
        out.append("")
        out.append("# Những câu có thời hạn mà bản nháp chưa đọc được: viết quy tắc bằng tay nếu cần.")
        for st in todos:
            sentence = _verbatim(st.text, source) or _norm(st.text)
            todo_items.append(f"{_where(st.block.section)}: {sentence} ({st.why})")
            out += _todo_block(st.block.section, sentence, st.why, "")
    return "\n".join(out) + "\n", todo_items
