"""Built-in rule types, registered on import. Each documents its YAML parameters.

Themed modules: ``relative`` (60/40, cohort), ``steps`` (per unit, floor steps, brackets),
``items`` (points per item), ``combine`` (best of, sum of), ``qualitative`` (ratings, basic
requirement met).
"""

from docgen.rules import combine, items, qualitative, relative, steps  # noqa: F401
from docgen.rules.relative import sixty_forty_score

__all__ = ["sixty_forty_score"]
