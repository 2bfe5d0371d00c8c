"""CORE: identifiers (patent numbers, standard codes) compared as the documents print them."""

from __future__ import annotations

import re
import unicodedata

from docgen.model.counting import DASHES


def normalise_identifier(text: str) -> str:
    """Returns ``text`` normalised for matching: NFKC, upper case, one dash, no spaces or dots.

    ``ZL202210000001.X`` and ``2022 1 0000001.X`` both become ``202210000001X``;
    ``GB/T 12345—2021`` and ``GB/T 12345-2021`` both become ``GB/T12345-2021``.
    """
    text = unicodedata.normalize("NFKC", text).upper()
    text = DASHES.sub("-", text)
    text = re.sub(r"[\s.·]", "", text)
    return text.replace("ZL", "")
