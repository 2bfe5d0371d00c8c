"""CORE: the 统一社会信用代码 (GB 32100-2015) and the organisation code inside it (GB 11714-1997).

Eighteen characters from the 31-character set (digits and capitals without I, O, S, V, Z): a
registration authority and a type, six digits of the administrative division, the nine-character
organisation code (eight characters and its own check character), and a check character over the
first seventeen. The enterprise's name on a platform (SPEC §11) and every cover carry it.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 表1: 31 characters, value = position
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, …
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 加权因子


def check_character(first17: str) -> str:
    """Returns the GB 32100 check character of the first seventeen characters."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def organisation_check(body: str) -> str:
    """Returns the GB 11714 check character of an organisation code's eight characters (digits,
    and capitals counted A = 10 … Z = 35)."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def credit_code_problem(code: str) -> str | None:
    """Returns what is wrong with a 统一社会信用代码 — ``length``, ``character``, ``organisation``
    (the embedded organisation code's check character) or ``check`` — or None when it is valid."""
    if len(code) != 18:
        return "length"
    if any(c not in ALPHABET for c in code):
        return "character"
    body, org_check = code[8:16], code[16]
    if all(c.isdigit() or "A" <= c <= "Z" for c in body) and organisation_check(body) != org_check:
        return "organisation"
    if check_character(code[:17]) != code[17]:
        return "check"
    return None
