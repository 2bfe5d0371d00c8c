"""EDGE: write files atomically (temp file in the same folder, then rename): outputs and caches."""

from __future__ import annotations

import os
from pathlib import Path

from docgen.errors import OutputError, UsageError


def ensure_output_folder(out: Path, submission: Path) -> None:
    """Creates ``out``; refuses an output folder inside the submission (inputs are never written).

    Raises:
        UsageError: ``out`` is the submission folder or inside it.
        OutputError: the folder cannot be created.
    """
    real_out = out.resolve()
    real_sub = submission.resolve()
    if real_out == real_sub or real_sub in real_out.parents:
        raise UsageError(f"输出目录 {out} 位于提交文件夹之内", hint="提交文件夹只读，请用 -o 指定其他目录")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建输出目录 {out}：{exc.strerror}") from exc


def write_atomic(path: Path, data: bytes) -> None:
    """Writes ``data`` to ``path`` through a temporary file and a rename.

    Raises:
        OutputError: the file cannot be written (the earlier file, if any, stays intact).
    """
    try:
        import tempfile  # imports random: kept off the start-up path of commands that write nothing

        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"无法写入 {path}：{exc.strerror}") from exc
    try:
        os.chmod(temp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(f"无法写入 {path}：{exc.strerror}") from exc
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
