"""Ensures the 统一社会信用代码 check (GB 32100-2015 and the GB 11714 organisation code in it)."""

from __future__ import annotations

import pytest

from docgen.model.credit_code import check_character, credit_code_problem, organisation_check


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91350100M000100Y43", None),  # published codes: both check characters hold
        ("91110000802100433B", None),
        ("9151050479184265X8", None),  # the Luzhou example (organisation code 79184265-X)
        ("91350100M000100Y44", "check"),  # last character changed
        ("91350100M000100Y53", "organisation"),  # the organisation code's check changed
        ("91350100M000100Y4", "length"),
        ("91350100M000100YO3", "character"),  # O is not in the alphabet (nor I, S, V, Z)
        ("9135010OM000100Y43", "character"),
    ],
    ids=[
        "published-1",
        "published-2",
        "luzhou-example",
        "check",
        "organisation",
        "short",
        "letter-O",
        "O-in-division",
    ],
)
def test_credit_code_problem(code: str, problem: str | None) -> None:
    """ensures each kind of wrong code is named and valid codes pass."""
    assert credit_code_problem(code) == problem


def test_check_characters_by_hand() -> None:
    """ensures the weighted sums as GB 32100 and GB 11714 define them, on 91110000802100433B:
    organisation code 80210043 → 8·3 + 0·7 + 2·9 + 1·10 + 0·5 + 0·8 + 4·4 + 3·2 = 74, 74 mod 11 =
    8, 11 − 8 = 3; the code's check character over the first 17 is B (value 11)."""
    assert organisation_check("80210043") == "3"
    assert check_character("91110000802100433") == "B"
    assert organisation_check("79184265") == "X"  # 11 − (… mod 11) = 10 is written X
