"""`dvcq draft`: write a plan file from a plan document, for an official to review.

Officials receive a new Kế hoạch every year as a Word file or a PDF. `read_document` turns the file
into text (.txt as UTF-8; .docx paragraphs and table cells in document order; .pdf through its
text layer), and `draft_plan` reads that text into a plan file: the header (issuer, number, date,
year, title), one rule per dated report or deadline with its due date and data window in the
plan's own words (strings the phrase grammar of dvcq.core.phrases reads back), the key tasks of an
appendix table, and a commented ``# TODO`` block for every sentence with a deadline it could not
read. It never guesses: what it cannot read it quotes for a person to decide.

The reading goes in layers, each pure:

1. lines: markup and page furniture out (page numbers, running headers, separators, footnote
   markers such as "[2]" or "<sup>1</sup>"), footnote bodies and table rows recognised;
2. blocks: lines broken mid-phrase joined back into paragraphs, each paragraph placed in its
   section ("IV.9", "II.11", "IV.2.a", "Phụ lục");
3. statements: in each sentence, the reports it names ("Báo cáo quý I và quý III: Gửi trước ngày
   19 của tháng cuối quý"), their deadline and data-window phrases, merged months ("lồng ghép"),
   and other deadlines (sending the unit's own plan, the self-assessment, the scoring decision);
4. rules: ids, periods, two-tier chains (a unit-level report feeding the body's own), slips in a
   written year recorded as errata, then the YAML text.

Quotes are verbatim: each is checked against the input text (whitespace and ``**`` aside), and
where the clean sentence runs over something the text has in between (a footnote marker, a page
number) the quote is given as fragments joined by " ... ".

The package follows those layers: `reading` (files to text), `lines` (lines, blocks, sentences and
clauses), `dated` (which sentences count), `kinds` (report kinds, the statement), `statements` (what a
sentence asks for), `merges` (reports folded into others), `bodies` (who sends, who receives), `header` (the plan's
header, errata, key tasks, verbatim quotes), `rules` (rules from statements) and `writing` (the YAML
and the `Draft`); this module drafts, from text to `Draft`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from dvcq.core.errors import DvcqError
from dvcq.documents.draft.header import _Task, _errata, _header, _norm, _tasks
from dvcq.documents.draft.reading import MAX_DOCUMENT_BYTES, MAX_TEXT_CHARS, read_document
from dvcq.documents.draft.lines import _DEADLINE_WORDS, _Block, _blocks, _lines, _sentences
from dvcq.documents.draft.rules import _Rule, _assemble
from dvcq.documents.draft.bodies import _recipient, _subject
from dvcq.documents.draft.dated import _is_dated
from dvcq.documents.draft.kinds import NO_DEADLINE, _LABEL, _Statement, _label_frequency, _todo, _why, _with_listed_kinds
from dvcq.documents.draft.merges import _MERGE_WORDS
from dvcq.documents.draft.statements import _statements
from dvcq.documents.draft.writing import Draft, _render

__all__ = ["Draft", "read_document", "draft_plan", "MAX_DOCUMENT_BYTES"]


# ================================================================================================
# Drafting
# ================================================================================================


def draft_plan(text: str, plan_id: str | None = None, source_name: str = "") -> Draft:
    """A plan file drafted from the text of a plan document (see the module docstring)."""
    if plan_id is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", plan_id):
        raise DvcqError(msg="draft.error.plan_id", plan=plan_id)
    if len(text) > MAX_TEXT_CHARS:  # the reading is linear, but 50 MB of text would still take a minute
        raise DvcqError(msg="draft.error.too_long", count=len(text), most=MAX_TEXT_CHARS)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines, unpaged = _lines(text)
    source = _norm(unpaged)
    blocks = _blocks(lines)
    header = _header(blocks, text, [" ".join(line.split()) for line in text.split("\n") if line.strip()])
    if plan_id:
        header.plan_id = plan_id
    if not header.plan_id:
        header.plan_id = "plan"
    if header.year is None:
        raise DvcqError(msg="draft.error.no_year")
    tasks, task_todos, task_rows = _tasks(blocks)
    statements: list[_Statement] = []
    seen: dict[tuple[int, str], _Block] = {}  # every sentence with a deadline or a report kind
    alias: dict[tuple[int, str], list[tuple[int, str]]] = {}  # two sentences read as one: the two
    announced: dict[tuple[int, str], set[str]] = {}  # sentences naming reports (their kinds) dated only later
    for block in blocks:
        if block.zone == "closing" or id(block) in task_rows:
            continue
        if not _is_dated(block.text) and not _MERGE_WORDS.search(block.text):
            continue
        if block.kind == "row" and not any(ch.isdigit() for ch in block.text):
            continue  # a table's header row names its columns ("Thời hạn gửi"): it sets no deadline
        # a table row that is no key task is read like a sentence, a comma between its cells (a
        # deadline phrase ends there; its quote gives each cell as a fragment)
        text = ", ".join(c.strip() for c in block.text.split("\t") if c.strip()) if block.kind == "row" else block.text
        sentences = _sentences(text)
        if len(sentences) > 1 and not block.parent and not _is_dated(sentences[0]) and _subject(sentences[0]) \
                and _recipient(sentences[0]):
            # "Các sở, ban, ngành ... gửi báo cáo ... về Ủy ban nhân dân tỉnh (qua Sở Nội vụ). Báo cáo quý gửi
            # trước ngày 16 ...": the paragraph's first sentence names who sends and who receives for the rest
            block = replace(block, parent=sentences[0])
        above = block.parent
        i = 0
        while i < len(sentences):
            if i and len(sentences) > 1:
                # "Các cơ quan, đơn vị, địa phương thực hiện báo cáo định kỳ 6 tháng và năm. Báo cáo 6 tháng gửi về Sở
                # Nội vụ. ...": the nearest sentence before, in the paragraph, that names who does it governs
                governing = next((p for p in reversed(sentences[:i]) if _names_doer(p)), "")
                if governing and governing not in block.parent:
                    block = replace(block, parent=f"{governing} {above}".strip())
            sentence = sentences[i]
            dated = _is_dated(sentence)
            found = _statements(sentence, block, header.year) if dated or _MERGE_WORDS.search(sentence) else []
            nxt = sentences[i + 1] if i + 1 < len(sentences) else ""
            if found and found[-1].kind == "todo" and found[-1].why == NO_DEADLINE and _DEADLINE_WORDS.search(nxt) \
                    and not _LABEL.search(nxt):
                # "Báo cáo 6 tháng gửi về Sở Nội vụ. Thời hạn gửi chậm nhất ngày 12 tháng 6 năm 2025.": one
                # report across two sentences, read as one
                joined = f"{sentence} {nxt}"
                again = _statements(joined, block, header.year)
                if again and not any(st.kind == "todo" for st in again):
                    statements.extend(again)
                    alias[(id(block), joined)] = [(id(block), sentence), (id(block), nxt)]
                    seen[(id(block), sentence)] = seen[(id(block), nxt)] = block
                    i += 2
                    continue
            statements.extend(found)
            if dated:
                seen[(id(block), sentence)] = block
                if found and all(st.kind == "todo" and st.why == NO_DEADLINE for st in found) and i + 1 < len(sentences):
                    named = _with_listed_kinds(sentence, list(_LABEL.finditer(sentence)))
                    announced[(id(block), sentence)] = {_label_frequency(m.group("label"))[0] for m in named}
            i += 1
    rules, todos = _assemble(statements, header, source)
    # "Các cơ quan ... thực hiện báo cáo định kỳ 6 tháng và năm." followed, in its paragraph, by a sentence
    # dating each of those reports: read through the sentences after it
    dated_later = {(r.st.block.text, r.every) for r in rules}
    through = {key for key, kinds in announced.items() if kinds and all((seen[key].text, k) in dated_later for k in kinds)}
    todos = [t for t in todos if (id(t.block), t.sentence) not in through]
    # recall is total: a sentence seen that gave nothing at all is quoted for review
    stated = {k for st in statements for k in alias.get((id(st.block), st.sentence), [(id(st.block), st.sentence)])}
    leads = _leads(seen, rules)
    for (_, sentence), block in seen.items():
        if (id(block), sentence) not in stated and (id(block), sentence) not in leads:
            todos.append(_todo(sentence, (0, len(sentence)), block, _why("unread-sentence")))
    if not rules and not tasks and not todos:
        raise DvcqError(msg="draft.error.no_deadline")
    errata = _errata(blocks, header)
    while True:
        yaml_text, todo_items = _render(header, source_name, errata, rules, tasks, task_todos, todos, source)
        refused = _refused(yaml_text, rules, tasks)
        if not refused:
            break
        # a rule the loader refuses (a day that does not exist in the plan's year ...) is left for
        # review with the loader's reason: the draft always loads
        for item, message in refused:
            if isinstance(item, _Task):
                tasks.remove(item)
                todos.append(_Statement("todo", item.quote, (0, len(item.quote)), _Block("row", "", "", f"Phụ lục, dòng {item.row}"),
                                        why=_why("refused-row", message=message)))
            else:
                rules.remove(item)
                todos.append(_todo(item.st.sentence, item.st.span, item.st.block, _why("refused-rule", message=message)))
        ids = {r.id for r in rules}
        for r in rules:
            r.merged = {m: t for m, t in r.merged.items() if t in ids}
            r.feeds = r.feeds if r.feeds in ids else None
    leads = _leads(seen, rules)
    for key in through:
        leads[key] = sorted({r.id for r in rules if r.st.block.text == seen[key].text and r.every in announced[key]})
    ruled, explained = _explained(seen, statements, rules, todos, leads, alias)
    return Draft(yaml=yaml_text, rules=len(rules), todo=tuple(todo_items), seen=len(seen), ruled=ruled,
                 explained=explained)


def _names_doer(sentence: str) -> bool:
    """A sentence whose subject is a body ("Các cơ quan, đơn vị ... thực hiện ..."), not a report."""
    who = _subject(sentence)
    at = sentence.find(who) if who else -1
    # at its start, or after a short lead ("Ngoài ra, các cơ quan ...", "Định kỳ, các sở ...")
    return at == 0 or (0 < at <= 25 and sentence[:at].rstrip().endswith(","))


def _leads(seen: dict, rules: list[_Rule]) -> dict[tuple[int, str], list[str]]:
    """The sentences seen that lead in the items below them ("..., thời hạn báo cáo:"), each with the
    rules its items gave: read through those items."""
    out: dict[tuple[int, str], list[str]] = {}
    for (k, sentence), block in seen.items():
        if not sentence.rstrip().endswith(":"):
            continue
        ids = [r.id for r in rules if r.st.block is not block
               and sentence.strip() in (r.st.block.lead + " " + r.st.block.parent)]
        if ids:
            out[(k, sentence)] = ids
    return out


def _explained(seen: dict, statements: list[_Statement], rules: list[_Rule], todos: list[_Statement],
               leads: dict[tuple[int, str], list[str]], alias: dict):
    """How many sentences seen gave a rule (merged into one, or restating one), and for each sentence
    what the draft made of it; a sentence that gave no rule has a # TODO."""
    outcomes: dict[tuple[int, str], list] = {key: [] for key in seen}
    given: set[tuple[int, str]] = set()

    def keys(st):
        return alias.get((id(st.block), st.sentence), [(id(st.block), st.sentence)])

    for r in rules:
        for key in keys(r.st):
            if key not in outcomes:
                continue
            given.add(key)
            if r.due_text:
                outcomes[key].append(("draft.explain.rule", {"id": r.id, "every": r.every, "due": r.due_text}))
            else:
                outcomes[key].append(("draft.explain.on-request", {"id": r.id}))
            if r.window_text:
                outcomes[key].append(("draft.explain.window", {"window": r.window_text}))
            outcomes[key] += [("draft.explain.todo", {"why": why}) for _, why in r.todo]
    todo_keys = {key for st in todos for key in keys(st)}
    for st in todos:
        for key in keys(st):
            if key in outcomes:
                outcomes[key].append(("draft.explain.todo", {"why": st.why}))
    for key, ids in leads.items():
        if key not in todo_keys:
            given.add(key)
            outcomes[key].append(("draft.explain.lead", {"ids": ", ".join(ids)}))
    merged_into = {m: r.id for r in rules for m in r.merged}
    for st in statements:
        for key in keys(st):
            if key not in outcomes or key in given or key in todo_keys:
                continue
            given.add(key)  # merged into a rule, or a rule said again: in the draft as part of that rule
            if st.kind == "merge":
                targets = sorted({merged_into.get(m, "?") for m, _ in st.merge}
                                 # a quarter or a half folded away: the rule that no longer lists it
                                 | {r.id for every, _, _ in st.folded for r in rules
                                    if r.every == every and r.st.kind == "report" and not r.feeds})
                outcomes[key].append(("draft.explain.merged", {"id": ", ".join(targets)}))
            else:
                outcomes[key].append(("draft.explain.restated", {}))
    explained = tuple((block.section or "-", " ".join(sentence.split()), tuple(outcomes[(k, sentence)]))
                      for (k, sentence), block in seen.items())
    return len(given), explained


def _refused(yaml_text: str, rules: list[_Rule], tasks: list[_Task]) -> list[tuple[object, str]]:
    """The rules and tasks of a rendered draft that the loader reports an error in, with its message."""
    from dvcq.planfiles.loader import read_plan

    if not rules and not tasks:
        return []  # nothing dated in the text: the file says so, and has nothing to refuse
    _, problems, _ = read_plan(Path("draft.yaml"), yaml_text.encode("utf-8"))
    errors = [p for p in problems if p.level == "error"]
    if not errors:
        return []
    line_of = {}
    for number, line in enumerate(yaml_text.split("\n"), 1):
        if line.startswith("  - id: "):
            line_of.setdefault(line, number)
    starts: list[tuple[int, object]] = []
    for item in [*rules, *tasks]:
        rid = item.id if isinstance(item, _Rule) else f"task-{item.number}"
        at = line_of[f"  - id: {rid}"]
        starts.append((at, item))
    starts.sort(key=lambda pair: pair[0])
    out: list[tuple[object, str]] = []
    for problem in errors:
        owner = None
        for at, item in starts:
            if at <= problem.line:
                owner = item
        if owner is not None and not any(owner is o for o, _ in out):
            message = problem.message.split(": ", 1)[-1] if ": " in problem.message else problem.message
            out.append((owner, f"{message} [{problem.code}]"))
    if not out:  # an error outside every rule: a bug of the draft, not of the text
        raise DvcqError(msg="draft.error.unloadable", error=errors[0])
    return out
