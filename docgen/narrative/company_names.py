"""CORE: a narrative that introduces another company than the applicant (copy-paste errors).

An outline section marked ``introduces_applicant`` describes the enterprise (企业基本情况). The
first company name it writes — a run of Chinese characters ending with a company suffix
(``company_suffixes`` in fields.yaml) — is the enterprise it introduces, and must be the
applicant: its full name, a name the profile writes (the 牵头单位 inside an alliance's name), the
same name with another suffix, or a short form contained in it. Subsidiaries, parents and customers named later in the section are
not questioned, so a legitimate list of 下属企业 never warns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docgen.diagnostics import Diagnostic
from docgen.model.answers import AnswerSet
from docgen.model.definitions import Outline
from docgen.text.messages import diagnostic
from docgen.text.narrative_text import NARRATIVE_TEXT

_NAME_CHARS = NARRATIVE_TEXT["company_names.name_chars"]


@dataclass(frozen=True)
class CompanyName:
    """A company name written in a text: the name, its part before the suffix, where it starts."""

    name: str
    core: str
    offset: int


_NAME_RUN = re.compile(f"{_NAME_CHARS}*")


def _pattern(suffixes: tuple[str, ...]) -> re.Pattern[str]:
    """Returns the pattern of one or more suffixes in a row, the longest alternative first."""
    words = "|".join(sorted(map(re.escape, suffixes), key=len, reverse=True))
    return re.compile(f"(?:{words})+")


def find_company_names(text: str, suffixes: tuple[str, ...]) -> list[CompanyName]:
    """Returns the company names of a text in order («…科技集团有限公司» is one name).

    A name is a run of at least two name characters up to the first suffix after them, with the
    suffixes that follow it: what ``({chars}{2,}?)((?:suffixes)+)`` finds, computed in linear time.
    That regular expression retries from every character of a run without a suffix (hours on a
    1M-character CJK run); here each run's end and each suffix position are searched once, both
    only forwards.
    """
    if not suffixes:
        return []
    pattern = _pattern(suffixes)
    out = []
    position, length = 0, len(text)
    run_end = -1  # the end of the run of name characters holding `position`, once known
    suffix = pattern.search(text, 2)  # the first suffix at or after `position + 2`
    while suffix is not None and position < length:
        if run_end <= position:
            run = _NAME_RUN.match(text, position)
            run_end = run.end() if run else position
            if run_end == position:  # not a name character
                position += 1
                continue
        if suffix.start() < position + 2:
            suffix = pattern.search(text, position + 2)
            continue
        if suffix.start() > run_end:  # no suffix in this run: go on after it
            position = run_end
            continue
        core = text[position : suffix.start()].lstrip(NARRATIVE_TEXT["company_names.leading_parens"])
        out.append(CompanyName(core + suffix.group(0), core, suffix.start() - len(core)))
        position = suffix.end()
    return out


def _is_applicant(written: CompanyName, own: list[CompanyName]) -> bool:
    for name in own:
        if written.name.endswith(name.name) or written.core.endswith(name.core):
            return True  # «本公司泸州…有限公司», the name before 股份制改造
        if len(written.core) >= 2 and written.core in name.core:
            return True  # a short form: «川锐集团»
    return False


def check_company_names(
    outline: Outline, answers: AnswerSet, suffixes: tuple[str, ...], file: str
) -> list[Diagnostic]:
    """Returns a warning for each section introducing the applicant whose first company is another."""
    out: list[Diagnostic] = []
    for section in outline.sections:
        given = answers.narrative.get(section.id)
        if not section.introduces_applicant or given is None or not answers.company:
            continue
        names = find_company_names(given.text, suffixes)
        if not names or _is_applicant(names[0], _own_names(answers, suffixes)):
            continue
        first = names[0]
        out.append(
            diagnostic(
                "narrative.other_company",
                **given.where(first.offset, file),
                path=("narrative", section.id),
                id=section.id,
                title=section.title,
                name=first.name,
                company=answers.company,
            )
        )
    return out


def _own_names(answers: AnswerSet, suffixes: tuple[str, ...]) -> list[CompanyName]:
    """Returns the applicant's names: its full name and every company name the profile writes."""
    own = [CompanyName(answers.company, answers.company, 0)]  # a name without a suffix (技术中心)
    for value in answers.profile.values():
        if isinstance(value, str):
            own += find_company_names(value, suffixes)
    return own
