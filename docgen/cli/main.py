"""The ``docgen`` command: the one module that prints and exits.

Exit codes: 0 done (an ineligible or low score is still 0); 1 the input has errors; 2 wrong usage.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from docgen.errors import DiagnosticsError, DocgenError

EXIT_INPUT, EXIT_USAGE = 1, 2


class _Group(click.Group):
    """Catches DocgenError (and unexpected errors) in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except DocgenError as exc:
            _print_error(exc)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:  # the reader went away (`docgen … | head`): nothing to report
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - keep Python quiet at exit
            ctx.exit(0)
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"docgen 内部错误：{type(exc).__name__}: {exc}", err=True)
            click.echo("请加 --debug 重新运行以查看详细信息，并报告此问题。", err=True)
            ctx.exit(EXIT_INPUT)


def _print_error(exc: DocgenError) -> None:
    click.echo(f"错误：{exc.message}", err=True)
    if isinstance(exc, DiagnosticsError):
        _print_findings(exc.diagnostics, err=True)
    if exc.hint:
        click.echo(f"提示：{exc.hint}", err=True)


def _print_findings(findings, *, err: bool, source: Path | None = None) -> None:
    """Prints one line per finding with the answers line it points to underneath."""
    lines: list[str] = []
    path = source or _CURRENT_SOURCE.get("path")
    if path is not None:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
    for finding in findings:
        click.echo(finding.display(), err=err)
        line = finding.location.line
        if lines and line and 0 < line <= len(lines) and finding.location.file == path.name:
            click.echo(f"    {lines[line - 1].strip()}", err=err)


_CURRENT_SOURCE: dict[str, Path] = {}


def _remember_source(path: Path) -> None:
    """Notes the answers file of this run so findings can show their source lines."""
    from docgen.app.submission import find_answers

    try:
        _CURRENT_SOURCE["path"] = find_answers(path)
    except DocgenError:
        _CURRENT_SOURCE.pop("path", None)


def _emit_json(data: Any) -> None:
    """Prints JSON indented for a terminal, compact into a pipe or file (as gh does): Python's
    JSON encoder is several times faster without indentation (a 300-submission review)."""
    pretty = sys.stdout.isatty()
    click.echo(json.dumps(data, ensure_ascii=False, indent=2 if pretty else None))


@click.group(cls=_Group)
@click.option("--debug", is_flag=True, help="出错时显示完整的 Python 调用栈。")
@click.version_option(package_name="docgen")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """docgen：把企业的结构化答卷生成规范、准确的申报材料。"""
    ctx.obj = {"debug": debug}


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def programs(as_json: bool) -> None:
    """列出已定义的评价办法。"""
    from docgen.definitions.load import load_catalog

    catalog = load_catalog()
    rows = [
        {
            "id": p.id,
            "title": p.title,
            "seed": p.seed,
            "kind": "/".join(p.kinds),
            "deadline": p.deadline or "—",
            "quota": p.quota or "—",
            "issuer": p.issuer,
        }
        for p in catalog.programs.values()
    ]
    if as_json:
        _emit_json(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="评价办法", show_lines=True)
    table.add_column("编号", no_wrap=True)
    for header in ("名称", "来源", "类型", "截止日期", "推荐名额"):
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(row["id"], row["title"], row["seed"], row["kind"], row["deadline"], row["quota"])
    Console().print(table)


@cli.command()
@click.argument("program")
@click.argument("directory", type=click.Path(path_type=Path))
def init(program: str, directory: Path) -> None:
    """在 DIRECTORY 中生成 PROGRAM 的答卷模板 answers.yaml（不会覆盖已有文件）。"""
    from docgen.definitions.load import load_catalog
    from docgen.errors import UsageError
    from docgen.outputs.files import write_atomic
    from docgen.outputs.skeleton import skeleton

    catalog = load_catalog()
    if program not in catalog.programs:
        raise UsageError(f"未知的评价办法“{program}”", hint="可用：" + "、".join(catalog.programs))
    target = directory / "answers.yaml"
    if target.exists():
        raise DocgenError(f"{target} 已存在，未覆盖", hint="请换一个目录或先移走原文件")
    spec = catalog.programs[program]
    outline = catalog.outlines[spec.outlines.get(spec.kinds[0]) or next(iter(spec.outlines.values()))]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "evidence").mkdir(exist_ok=True)
    write_atomic(target, skeleton(spec, catalog, outline).encode("utf-8"))
    click.echo(f"已生成 {target}")


_program_option = click.option("--program", "program_id", help="评价办法编号（默认取答卷中的 program）。")
_strict_option = click.option("--strict", is_flag=True, help="把警告视为错误。")


@cli.command()
@click.argument("submission", type=click.Path(path_type=Path))
@_program_option
@_strict_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（SPEC §8）。")
def check(submission: Path, program_id: str | None, strict: bool, as_json: bool) -> None:
    """检查答卷、正文和证明材料，列出全部问题。"""
    from docgen.app.submission import check_submission, open_submission
    from docgen.diagnostics import apply_strict
    from docgen.outputs.objects import check_json

    _remember_source(submission)
    try:
        sub = open_submission(submission, program_id, strict=strict)
        findings = apply_strict(check_submission(sub), strict)
    except DiagnosticsError as exc:
        if not as_json:
            raise
        _emit_json(check_json(exc.diagnostics))
        sys.exit(EXIT_INPUT)
    ok = not any(d.is_error for d in findings)
    if as_json:
        _emit_json(check_json(findings))
    else:
        _print_findings(findings, err=False, source=sub.answers_path)
        errors = sum(1 for d in findings if d.is_error)
        click.echo(f"{'通过' if ok else '未通过'}：{errors} 个错误，{len(findings) - errors} 个警告")
    if not ok:
        sys.exit(EXIT_INPUT)


@cli.command()
@click.argument("answers", type=click.Path(path_type=Path))
@_program_option
@_strict_option
@click.option("--partial", is_flag=True, help="缺少部分数据时仍按已有数据计分（总分标为不完整）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（SPEC §8）。")
def score(answers: Path, program_id: str | None, strict: bool, partial: bool, as_json: bool) -> None:
    """计算自评分：每项指标的数据、评价值、得分和计算过程。"""
    from docgen.app.submission import open_submission, score_submission
    from docgen.outputs.objects import score_json

    _remember_source(answers)
    sub = open_submission(answers, program_id, strict=strict)
    card = score_submission(sub, partial=partial)
    if as_json:
        _emit_json(score_json(card))
        return
    from docgen.cli.terminal import print_score

    print_score(card)


@cli.command()
@click.argument("submission", type=click.Path(path_type=Path))
@_program_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（SPEC §8）。")
def evidence(submission: Path, program_id: str | None, as_json: bool) -> None:
    """核对证明材料：每份文件的状态、证明不足的指标、核定分。"""
    from docgen.app.submission import evaluate_submission, open_submission
    from docgen.outputs.objects import evidence_json

    sub = open_submission(submission, program_id)
    result = evaluate_submission(sub)
    data = evidence_json(result.evidence, result.claimed, result.evidenced)
    if as_json:
        _emit_json(data)
        return
    from docgen.cli.terminal import print_evidence

    print_evidence(data)


@cli.command()
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="输出目录（多份申报材料时每份一个子目录）。",
)
@_program_option
@click.option(
    "--template",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="用自己的 Word 模板生成报告。",
)
def build(submissions: tuple[Path, ...], out: Path, program_id: str | None, template: Path | None) -> None:
    """生成申请报告（或工作总结）、证明材料缺失报告、证明材料汇编和 score.json。"""
    from docgen.app.build import build_submission, output_folder_name
    from docgen.app.submission import open_submission
    from docgen.numbers import fmt_fixed
    from docgen.outputs.files import ensure_output_folder

    several = len(submissions) > 1
    failed = 0
    for submission in submissions:
        _remember_source(submission)
        try:
            sub = open_submission(submission, program_id)
            target = out / output_folder_name(sub.folder.name) if several else out
            ensure_output_folder(target, sub.folder)
            result = build_submission(sub, target, template, fork=True)
        except DocgenError as exc:
            if not several:
                raise
            failed += 1
            click.echo(f"{submission}：", err=True)
            _print_error(exc)
            continue
        claimed, evidenced = result.evaluation.claimed, result.evaluation.evidenced
        label = "参考分" if claimed.reference else "自评分"
        click.echo(
            f"{sub.answers.company if sub.answers else ''}：{label} {fmt_fixed(claimed.total)}，"
            f"核定分 {fmt_fixed(evidenced.total)}，限定性指标{'符合' if claimed.eligible else '不符合'}"
        )
        for path in result.files:
            click.echo(f"  已写入 {path}")
    if failed:
        click.echo(f"{failed} 份申报材料未能生成报告。", err=True)
        sys.exit(EXIT_INPUT)


@cli.command()
@click.argument("submission", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="输出的 PDF 文件。",
)
@_program_option
def bundle(submission: Path, out: Path, program_id: str | None) -> None:
    """把证明材料按清单顺序合订为一个带书签的 PDF。"""
    from docgen.app.submission import evaluate_submission, open_submission
    from docgen.outputs.bundle import render_bundle
    from docgen.outputs.files import ensure_output_folder, write_atomic

    sub = open_submission(submission, program_id)
    result = evaluate_submission(sub)
    from docgen.text.messages import TEXT

    title = TEXT["bundle_title"].format(program=result.claimed.program.short_title)
    data, included = render_bundle(sub.folder, result.evidence, title, result.claimed.company)
    ensure_output_folder(out.parent if str(out.parent) else Path("."), sub.folder)
    write_atomic(out, data)
    click.echo(f"已写入 {out}（{len(included)} 份材料）")


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--program", "program_id", required=True, help="评价办法编号。")
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), help="写入汇总表的目录。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（SPEC §8）。")
@click.option("--threshold", type=float, help="推荐线（默认取评价办法的规定）。")
@click.option("--quota", type=int, help="推荐名额（默认取评价办法的规定）。")
@click.option("--jobs", type=int, help="并行进程数（默认为 CPU 核数）。")
@click.option("--no-cache", is_flag=True, help="不使用证明材料核查缓存。")
@click.option(
    "--reports", is_flag=True, help="同时为每份申报材料生成报告和填好的自评表（写入 OUT/<文件夹>/）。"
)
def review(
    directory: Path,
    program_id: str,
    out: Path | None,
    as_json: bool,
    threshold: float | None,
    quota: int | None,
    jobs: int | None,
    no_cache: bool,
    reports: bool,
) -> None:
    """评审一个文件夹中的全部申报材料：整体计分、完整性核对、排名、推荐线和名额，生成汇总表。"""
    from fractions import Fraction

    from docgen.app.review import review_folder
    from docgen.cache import cache_root
    from docgen.definitions.load import load_catalog
    from docgen.errors import UsageError
    from docgen.outputs.files import write_atomic
    from docgen.outputs.summary import render_csv, review_json
    from docgen.outputs.summary_docx import render_docx
    from docgen.outputs.summary_xlsx import render_xlsx

    catalog = load_catalog()
    if program_id not in catalog.programs:
        raise UsageError(f"未知的评价办法“{program_id}”", hint="可用：" + "、".join(catalog.programs))
    if jobs is not None and jobs < 1:
        raise UsageError("--jobs 应为正整数")
    from docgen.app.review import discover
    from docgen.app.submission import ANSWERS_NAMES

    if not discover(directory):
        if any((directory / name).is_file() for name in ANSWERS_NAMES):
            raise UsageError(
                f"{directory} 本身是一份申报材料，其中没有可评审的子文件夹",
                hint=f"评审一份请用 docgen check / build；评审多份请指定它们的上级文件夹 {directory.parent}",
            )
        raise UsageError(f"{directory} 中没有申报材料", hint="每份申报材料是一个含 answers.yaml 的子文件夹")
    root = None if no_cache else cache_root()
    cache_dir = str(root) if root is not None else None
    show_progress = not as_json and sys.stderr.isatty()
    progress_bar = None
    if show_progress:
        from rich.progress import Progress

        progress_bar = Progress(transient=True)
        progress_bar.start()
        task = progress_bar.add_task("评审中", total=None)

        def progress(done: int, total: int) -> None:
            progress_bar.update(task, completed=done, total=total)
    else:
        progress = None
    try:
        result = review_folder(
            directory,
            program_id,
            jobs=jobs,
            threshold=Fraction(str(threshold)) if threshold is not None else None,
            quota=quota,
            cache_dir=cache_dir,
            progress=progress,
        )
    finally:
        if progress_bar is not None:
            progress_bar.stop()
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        write_atomic(out / "汇总表.docx", render_docx(result))
        write_atomic(out / "汇总表.csv", render_csv(result))
        write_atomic(out / "汇总表.xlsx", render_xlsx(result))
        if reports:
            from docgen.app.review import write_reports

            for message in write_reports(result, directory, out, jobs=jobs, cache_dir=cache_dir):
                click.echo(f"未能生成报告：{message}", err=True)
    elif reports:
        raise UsageError("--reports 需要用 -o 指定输出目录")
    if as_json:
        _emit_json(review_json(result))
        return
    from docgen.cli.terminal import print_review

    print_review(result)
    if out is not None:
        click.echo(f"已写入 {out / '汇总表.docx'}、{out / '汇总表.csv'}、{out / '汇总表.xlsx'}")


@cli.command()
@click.argument("program", required=False)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="输出目录。",
)
@click.option("--all", "all_programs", is_flag=True, help="生成全部评价办法的附件（每个办法一个子目录）。")
@click.option(
    "--fill",
    "submission",
    type=click.Path(path_type=Path),
    help="用该申报材料的数据、得分和评价结果填写表格。",
)
def forms(program: str | None, out: Path, all_programs: bool, submission: Path | None) -> None:
    """生成通知的附件（附件N-标题.docx）：编写提纲、数据表、自评表和汇总表模板。"""
    from docgen.definitions.load import load_catalog
    from docgen.errors import UsageError
    from docgen.outputs.files import ensure_output_folder, write_atomic
    from docgen.outputs.forms import render_forms

    catalog = load_catalog()
    if all_programs == bool(program):
        raise UsageError("请指定一个评价办法，或使用 --all", hint="可用：" + "、".join(catalog.programs))
    if program and program not in catalog.programs:
        raise UsageError(f"未知的评价办法“{program}”", hint="可用：" + "、".join(catalog.programs))
    answers = card = None
    if submission is not None:
        if all_programs:
            raise UsageError("--fill 只能与一个评价办法一起使用")
        from docgen.app.submission import open_submission, score_submission

        _remember_source(submission)
        sub = open_submission(submission, program)
        card = score_submission(sub)
        answers = sub.answers
        ensure_output_folder(out, sub.folder)
    targets = [program] if program else list(catalog.programs)
    for program_id in targets:
        folder = out / program_id if all_programs else out
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in render_forms(catalog.programs[program_id], catalog, answers, card):
            write_atomic(folder / name, data)
            click.echo(f"已写入 {folder / name}")


@cli.group()
def templates() -> None:
    """管理 Word 模板（导出默认模板后可在 Word 中修改，再用 build --template 使用）。"""


@templates.command("export")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def templates_export(directory: Path) -> None:
    """把默认模板写入 DIRECTORY（不会覆盖已有文件）。"""
    from docgen.outputs.files import write_atomic
    from docgen.resources import folder

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(folder("templates").glob("*.docx")):
        target = directory / source.name
        if target.exists():
            click.echo(f"已存在，跳过：{target}")
            continue
        write_atomic(target, source.read_bytes())
        written.append(target)
    for path in written:
        click.echo(f"已写入 {path}")
    click.echo(
        "模板中可用的变量见 docs/templates.md；修改后用 docgen build … --template 文件.docx 生成报告。"
    )


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="docgen")


if __name__ == "__main__":
    main()
