"""EDGE: the Jinja environment every Word template is rendered in (sandboxed, strict, budgeted).

Jinja's sandbox keeps a template from reaching Python, not from running without end: it caps
one ``range`` at 100,000 items, but nested loops multiply, and a loop over a list, one
expression (``'x' * 10**10``, ``2**10000000000``, ``'x'.ljust(10**10)``) or endless recursion are not
bounded at all. A user's template (``docgen build --template``) gets a budget per rendering:

- every item of every ``{% for %}`` loop counts against ``MAX_LOOP_ITERATIONS`` (the code
  generator passes each loop's iterable through a counting filter), and ``range`` refuses more;
- the rendering stops after ``MAX_RENDER_SECONDS`` (checked at loop items, calls and output);
- the rendered text may not exceed ``MAX_OUTPUT_CHARS``;
- a string or list built by ``*``, ``+``, ``%``, ``~``, a call or a filter may not exceed
  ``MAX_VALUE_CHARS``, a number given to a call or a filter (a width, a count) may not exceed it
  either, and ``**`` may not build a number of more than ``MAX_POWER_BITS`` bits.

Exceeding any of them raises ``RenderLimitExceeded`` naming the limit; docgen's own templates
stay far below all of them.
"""

from __future__ import annotations

import functools
import math
import operator
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from jinja2 import StrictUndefined, Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import SandboxedEnvironment

MAX_LOOP_ITERATIONS = 1_000_000  # items of all loops of one rendering together
MAX_RENDER_SECONDS = 5.0  # one rendering (a part of a document)
MAX_OUTPUT_CHARS = 64_000_000  # the rendered XML of one part (docgen's reports: under 2 million)
MAX_VALUE_CHARS = 8_000_000  # a string or list a template builds; a width or count it passes
MAX_POWER_BITS = 100_000  # a number ``**`` builds (about 30,000 digits)
_LOOP_FILTER = "docgen_loop_budget"
_WIDE_FORMAT = re.compile(r"%[^a-zA-Z%]*?\d{8,}|\{[^{}]*:[^{}]*?\d{8,}")  # '%10000000000s', '{:>10000000000}'


class RenderLimitExceeded(Exception):
    """A template's rendering went beyond one of the budget's limits.

    Attributes:
        limit: which: ``loop_iterations``, ``render_seconds``, ``output_chars``, ``value_chars``
            or ``power_bits``.
    """

    def __init__(self, limit: str) -> None:
        super().__init__(limit)
        self.limit = limit


class _Budget:
    """What one rendering has used so far."""

    __slots__ = ("deadline", "iterations", "output")

    def __init__(self) -> None:
        self.iterations = 0
        self.output = 0
        self.deadline = time.monotonic() + MAX_RENDER_SECONDS

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderLimitExceeded("render_seconds")

    def count(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.iterations += 1
            if self.iterations > MAX_LOOP_ITERATIONS:
                raise RenderLimitExceeded("loop_iterations")
            if not self.iterations & 0x3FF:
                self.tick()
            yield item

    def emit(self, chunk: str) -> None:
        self.output += len(chunk)
        if self.output > MAX_OUTPUT_CHARS:
            raise RenderLimitExceeded("output_chars")


_BUDGET: ContextVar[_Budget | None] = ContextVar("docgen_render_budget", default=None)


def _counted(iterable: Iterable[Any]) -> Iterable[Any]:
    """The filter every loop's iterable passes through: counts its items against the budget."""
    budget = _BUDGET.get()
    return iterable if budget is None else budget.count(iterable)


def _check_size(value: Any) -> Any:
    """Returns ``value``, unless it is a string or a sequence longer than MAX_VALUE_CHARS."""
    if isinstance(value, str | bytes | list | tuple) and len(value) > MAX_VALUE_CHARS:
        raise RenderLimitExceeded("value_chars")
    return value


def _check_numbers(values: Iterable[Any]) -> None:
    """Refuses a number larger than MAX_VALUE_CHARS given to a call or a filter (a width, a count)."""
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_VALUE_CHARS:
            raise RenderLimitExceeded("value_chars")


def _bounded_range(*args: int) -> range:
    """Returns ``range(*args)``, refused beyond what the loop budget allows (the sandbox's own
    ``range`` stops at 100,000 items with an OverflowError; nested ranges multiply)."""
    numbers = range(*args)
    if len(numbers) > MAX_LOOP_ITERATIONS:
        raise RenderLimitExceeded("loop_iterations")
    return numbers


def _budgeted_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """Returns a filter that refuses huge numbers as arguments and huge results (and, for
    ``format``, a huge width in the format)."""
    skip = 2 if getattr(function, "jinja_pass_arg", None) is not None else 1  # context, then the value

    @functools.wraps(function)  # keeps jinja_pass_arg: the filter gets what it asked for
    def budgeted(*args: Any, **kwargs: Any) -> Any:
        if name == "format" and _WIDE_FORMAT.search(str(args[skip - 1])):
            raise RenderLimitExceeded("value_chars")
        _check_numbers(args[skip:])
        _check_numbers(kwargs.values())
        return _check_size(function(*args, **kwargs))

    return budgeted


class _BudgetedCodeGenerator(CodeGenerator):
    """Jinja's code generator with each loop's iterable counted and each ``~`` result checked."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        # before any code is written: the generator looks up the filters a template uses first
        for loop in node.find_all(nodes.For):
            if not (isinstance(loop.iter, nodes.Filter) and loop.iter.name == _LOOP_FILTER):
                loop.iter = nodes.Filter(loop.iter, _LOOP_FILTER, [], [], None, None, lineno=loop.lineno)
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked_value(")
        super().visit_Concat(node, frame)
        self.write(")")


class _BudgetedTemplate(Template):
    """A template whose every rendering runs within one budget (docxtpl calls ``render`` too)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        if _BUDGET.get() is not None:  # rendered from inside a rendering: the same budget
            return super().render(*args, **kwargs)
        budget = _Budget()
        token = _BUDGET.set(budget)
        try:
            parts: list[str] = []
            for chunk in self.root_render_func(self.new_context(dict(*args, **kwargs))):
                budget.emit(chunk)
                parts.append(chunk)
                if not len(parts) & 0x3FF:
                    budget.tick()
            return "".join(parts)
        except Exception:
            self.environment.handle_exception()
        finally:
            _BUDGET.reset(token)


class BudgetedEnvironment(SandboxedEnvironment):
    """The sandbox with a budget per rendering (see the module docstring)."""

    code_generator_class = _BudgetedCodeGenerator
    template_class = _BudgetedTemplate
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = _bounded_range
        self.filters = {name: _budgeted_filter(name, f) for name, f in self.filters.items()}
        self.filters[_LOOP_FILTER] = _counted

    def checked_value(self, value: Any) -> Any:
        """Returns ``value``, unless it is larger than MAX_VALUE_CHARS (``~`` results)."""
        return _check_size(value)

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        """Returns ``left <operator> right``, refused when it would build too large a value."""
        if operator_name == "*":
            for sequence, times in ((left, right), (right, left)):
                if (
                    isinstance(sequence, str | bytes | list | tuple)
                    and isinstance(times, int)
                    and len(sequence) * times > MAX_VALUE_CHARS
                ):
                    raise RenderLimitExceeded("value_chars")
        elif operator_name == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and right * math.log2(abs(left)) > MAX_POWER_BITS:
                raise RenderLimitExceeded("power_bits")
        elif operator_name == "%" and isinstance(left, str):
            if _WIDE_FORMAT.search(left):
                raise RenderLimitExceeded("value_chars")
            _check_numbers(right if isinstance(right, tuple) else (right,))
        return _check_size(_BINOPS[operator_name](left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Calls ``__obj`` for the template, refusing huge numbers as arguments and huge results."""
        budget = _BUDGET.get()
        if budget is not None:
            budget.tick()
        if __obj is not _bounded_range:
            _check_numbers(args)
            _check_numbers(kwargs.values())
        return _check_size(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Returns the sandbox's ``str.format``, refused for a width beyond MAX_VALUE_CHARS."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _WIDE_FORMAT.search(str(value.__self__)):
            raise RenderLimitExceeded("value_chars")
        return wrapped


_BINOPS: dict[str, Callable[[Any, Any], Any]] = {
    "*": operator.mul,
    "**": operator.pow,
    "+": operator.add,
    "%": operator.mod,
}


def environment() -> SandboxedEnvironment:
    """Returns the Jinja environment every template renders in."""
    return BudgetedEnvironment(undefined=StrictUndefined, autoescape=True)
