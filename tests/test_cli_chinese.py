"""Ensures that the CLI speaks Chinese: usage errors, help headings and option help, unknown
commands with a suggestion, missing arguments — with exit code 2 and no English left from click."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from docgen.cli.chinese import display_width
from docgen.cli.main import cli
from tests.conftest import EXAMPLE

# words a Chinese message may still hold: the program's name, its commands, options, metavars
_ALLOWED = re.compile(
    r"[a-z][a-z-]*\.(?:pdf|docx|md|json|yaml|xlsx|csv)|LibreOffice|Excel|WPS|docgen|--?[a-z][a-z-]*|[A-Z]{3,}(?:\.\.\.)?|SPEC|JSON|PDF|Word|Python|OUT|score\.json|answers\.yaml"
    r"|answers|program|yaml|json|docx|xlsx|csv|\.[a-z]+"
)
_ENGLISH = re.compile(r"[A-Za-z]{3,}")


def _english_words(text: str, typed: list[str] | None = None) -> list[str]:
    """Returns the English words of ``text`` that are not names: docgen's own texts', its
    commands' or what the user typed."""
    names = {*cli.commands, *_ENGLISH.findall(" ".join(typed or [])), "out"}
    for command in cli.commands.values():
        subs = list(command.commands.values()) if isinstance(command, click.Group) else []
        if isinstance(command, click.Group):
            names |= set(command.commands)
        for c in (command, *subs):  # the values of a choice are what the user types: names
            for param in c.params:
                if isinstance(param.type, click.Choice):
                    names |= {str(v) for v in param.type.choices}
    return [w for w in _ENGLISH.findall(_ALLOWED.sub(" ", text)) if w not in names]


def _run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), prog_name="docgen")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["bulid"], "错误：没有“bulid”这个命令。是否要用“build”？"),
        (["nosuch"], "错误：没有“nosuch”这个命令。"),
        (["build"], "错误：缺少参数“SUBMISSIONS...”。"),
        (["init", "luzhou-etc-2023"], "错误：缺少参数“DIRECTORY”。"),
        (["score", "--bogus", "x"], "错误：没有“--bogus”这个选项。"),
        (["review", "--jobs", "x", "."], "错误：“--jobs”的值无效：“x”不是有效的整数。"),
        (["review", "/nonexistent-folder"], "错误：“DIRECTORY”的值无效：目录“/nonexistent-folder”不存在。"),
        (["score", str(EXAMPLE), "extra"], "错误：多余的参数（extra）"),
        (["build", str(EXAMPLE), "-o"], "错误：选项“-o”需要一个值。"),
    ],
)
def test_usage_errors_are_chinese(args: list[str], expected: str) -> None:
    """ensures that each usage error exits 2 with the command's Chinese usage line, the hint to
    its --help and the message in Chinese, and no English word of click's left."""
    result = _run(*args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[-1] == expected
    if len(lines) > 1:  # click knows the command (it does not for an option's missing value)
        assert lines[0].startswith("用法： docgen")
        assert "[选项]" in lines[0]
        assert re.fullmatch(r"运行“docgen( [a-z]+)? --help”查看用法。", lines[1])
    assert _english_words(result.stderr, args) == []


def test_every_help_is_chinese() -> None:
    """ensures that the group's and every command's --help (sub-commands included) has Chinese
    headings and option help, and no English text of click's."""
    commands: list[list[str]] = [[]]
    for name, command in cli.commands.items():
        commands.append([name])
        if isinstance(command, click.Group):
            commands += [[name, sub] for sub in command.commands]
    for path in commands:
        result = _run(*path, "--help")
        assert result.exit_code == 0, path
        text = result.output
        assert text.startswith("用法： docgen"), path
        assert "选项:" in text, path
        assert "显示本帮助并退出。" in text, path
        for english in (
            "Usage:",
            "Options:",
            "Commands:",
            "Show this message",
            "[OPTIONS]",
            "default:",
            "required",
        ):
            assert english not in text, (path, english)
        assert _english_words(text) == [], (path, _english_words(text))


def test_help_columns_line_up_behind_chinese_metavars() -> None:
    """ensures that the option descriptions start in one terminal column although the metavars
    (路径, 文本, 整数) are Chinese, two columns a character."""
    text = _run("review", "--help").output
    options = text.split("选项:\n", 1)[1].splitlines()
    starts = {
        display_width(re.match(r"(\s+\S.*?\s{2,})\S", line).group(1)) for line in options if line.strip()
    }  # type: ignore[union-attr]
    assert len(starts) == 1, options


def test_display_width_counts_cjk_as_two() -> None:
    assert display_width("路径") == 4
    assert display_width("PATH") == 4
    assert display_width("\033[1m选项\033[0m") == 4


def test_version_is_chinese() -> None:
    result = _run("--version")
    assert result.exit_code == 0
    assert re.fullmatch(r"docgen，版本 \d+\.\d+\.\d+\S*\n", result.output)


def test_a_cold_process_prints_chinese_usage_errors(tmp_path: Path) -> None:
    """ensures that the installed entry point (a new process, not the test runner) prints the
    Chinese usage error on stderr and exits 2."""
    done = subprocess.run(
        [sys.executable, "-m", "docgen", "bulid"], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines()[-1] == "错误：没有“bulid”这个命令。是否要用“build”？"


def test_docgen_errors_keep_their_exit_codes(tmp_path: Path) -> None:
    """ensures that routing click's errors through docgen's printer left docgen's own errors and
    exit codes as they were: a missing answers file is exit 1 with its Chinese message."""
    result = _run("check", str(tmp_path))
    assert result.exit_code in (1, 2)
    assert "错误：" in result.stderr
    assert "Traceback" not in result.output
    ok = _run("programs")
    assert ok.exit_code == 0
    assert "luzhou-etc-2023" in ok.output
