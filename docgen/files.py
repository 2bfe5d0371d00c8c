"""EDGE: where docgen writes, and how: every file through one transaction, never into a submission.

- ``write_all(folder, {name: bytes})`` writes a run's files as a set: each to a temporary file in
  its target's folder (fsync), and only when every one is written are they renamed into place.
  A failure before the renames (a full disk, a quota, an I/O error) removes the temporary files
  and any folder it created: the earlier files stay as they were. ``write_atomic`` is the same
  for one file; outputs and caches both go through it.
- A rename never replaces anything but a regular file: a folder, a device, a FIFO or a socket
  where a file goes is refused before anything is written (``OutputBlocked``) and checked again
  just before the renames. A symbolic link there is replaced by the new file; the file it
  pointed to is never written (docs/decisions.md).
- ``check_output_folder`` and ``check_output_file`` refuse an output place inside a submission
  folder (real paths, links followed) before a run renders anything.

What is left: several renames are not atomic as a set. If one of them fails after others
succeeded (the file system turning read-only between two renames of one folder), the files
already renamed are new, the rest old, and the error names both; no other step runs between the
renames, so that window is a few system calls long.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from docgen.errors import OutputBlocked, OutputError
from docgen.text.commands import SAY
from docgen.text.punctuation import ENUM_COMMA


def is_within(real: str, base: str) -> bool:
    """Returns whether the real path ``real`` is ``base`` or lies under it (both real paths)."""
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def resolve_inside(folder: Path, name: str, root: str | None = None) -> Path | None:
    """Returns the real path of ``name`` inside ``folder``, or None when it would leave it.

    ``..``, absolute paths and symbolic links that lead outside are all refused. ``root`` is the
    folder's real path when the caller already knows it.
    """
    if (
        not name
        or "\x00" in name
        or Path(name).is_absolute()
        or name.startswith(("/", "\\"))
        or ":" in name[:3]
    ):
        return None
    base = root or os.path.realpath(folder)
    candidate = _plain_inside(base, name) or os.path.realpath(os.path.join(base, name))
    return Path(candidate) if is_within(candidate, base) else None


def _plain_inside(base: str, name: str) -> str | None:
    """Returns ``base``/``name`` when that is already its real path — every part of ``name`` a
    plain name (no ``.``, ``..``, empty part) that exists and is no symbolic link — else None
    (then os.path.realpath decides). The common case costs one ``lstat`` a part of ``name``
    instead of one a part of the whole path."""
    if os.altsep and os.altsep in name:
        return None
    parts = name.split(os.sep)
    if any(part in ("", ".", "..") for part in parts):
        return None
    path = base
    for part in parts:
        path = os.path.join(path, part)
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return None
        except (OSError, ValueError):
            return None
    return path


def submission_around(path: Path, inputs: Iterable[Path] = (), markers: Iterable[str] = ()) -> Path | None:
    """Returns the submission folder that ``path`` (its real path) lies in, or None.

    A submission folder is one of ``inputs``, or any folder at or above ``path`` holding one of
    the ``markers`` (the answers file names): an output must not go into another submission
    either.
    """
    real = os.path.realpath(path)
    for folder in inputs:
        if is_within(real, os.path.realpath(folder)):
            return folder
    names = tuple(markers)
    here = Path(real)
    for folder in (here, *here.parents):
        if any(os.path.lexists(folder / name) for name in names):
            return folder
    return None


def check_output_folder(
    out: Path, inputs: Iterable[Path] = (), markers: Iterable[str] = (), files: Iterable[str] = ()
) -> None:
    """Checks that ``out`` can be an output folder, and the places of the ``files`` to be written
    there; creates nothing (write_all does).

    Raises:
        OutputBlocked: ``out`` lies inside a submission folder (see submission_around); it, or its
            nearest existing parent, is not a folder (a file, a device, a FIFO); or a file's place
            is taken by a folder, a device, a FIFO or a socket.
    """
    _check_folder(out)
    for name in files:
        _check_replaceable(_target(out, name))
    submission = submission_around(out, inputs, markers)
    if submission is not None:
        raise OutputBlocked(
            SAY["output_inside"].format(path=out),
            hint=SAY["output_inside.hint"].format(submission=submission),
        )


def check_output_file(path: Path, inputs: Iterable[Path] = (), markers: Iterable[str] = ()) -> None:
    """Checks that ``path`` can be an output file named by the user: not inside a submission
    (where the new file would be, and where a symbolic link there points), not a folder, device,
    FIFO or socket, in a folder that is one or can be made.

    Raises:
        OutputBlocked: as described.
    """
    parent = path.parent
    _check_folder(parent)
    places = [Path(os.path.realpath(parent)) / path.name]
    if os.path.islink(path):
        places.append(path)  # the link's target: refused there as well (links followed)
    for place in places:
        submission = submission_around(place, inputs, markers)
        if submission is not None:
            raise OutputBlocked(
                SAY["output_file_inside"].format(path=path),
                hint=SAY["output_inside.hint"].format(submission=submission),
            )
    _check_replaceable(path)


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Writes ``data`` to ``path`` through a temporary file and a rename (write_all of one file).

    ``durable=False`` skips the flush to disk (fsync, a few milliseconds a file): for cache
    entries, which a crash may leave empty or torn — the cache refuses those and rebuilds them.

    Raises:
        OutputBlocked: ``path`` is a folder, a device, a FIFO or a socket.
        OutputError: the file cannot be written (the earlier file, if any, stays intact).
    """
    write_all(path.parent, {path.name: data}, durable=durable)


def write_all(folder: Path, files: Mapping[str, bytes], *, durable: bool = True) -> list[Path]:
    """Writes every file of ``files`` (names relative to ``folder``, ``/`` for sub-folders) or,
    when one cannot be written, none of them; returns the paths written, in order.

    Raises:
        OutputBlocked: a target is a folder, a device, a FIFO or a socket, or a folder on the way
            is not a folder (checked before anything is written).
        OutputError: a name leaves ``folder``; a file or folder cannot be written (nothing new
            is left behind); or a rename failed after others succeeded (the message says which
            files are new).
    """
    targets = [(_target(folder, name), data) for name, data in files.items()]
    if len({target for target, _ in targets}) < len(targets):  # "a" and "./a": one place, two files
        raise OutputError(SAY["output_bad_name"].format(name=ENUM_COMMA.join(files)))
    for target, _ in targets:
        _check_folder(target.parent)
        _check_replaceable(target)
    created: list[Path] = []
    temps: list[tuple[Path, Path]] = []
    try:
        _make_folders([target.parent for target, _ in targets], created)
        for target, data in targets:
            temps.append((_write_temp(target, data, durable), target))
        for _, target in temps:  # again, as late as possible: nothing may have taken a place since
            _check_replaceable(target)
    except BaseException:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
        for made in reversed(created):
            _remove_empty(made)
        raise
    # -- every file is on disk: the renames, with nothing else between them --
    renamed: list[Path] = []
    try:
        for temp, target in temps:
            os.replace(temp, target)
            renamed.append(target)
    except BaseException as exc:
        for temp, _ in temps[len(renamed) :]:
            temp.unlink(missing_ok=True)
        if not isinstance(exc, OSError):
            raise
        failed = temps[len(renamed)][1]
        if not renamed:
            raise OutputError(SAY["output_unwritable"].format(path=failed, reason=exc.strerror)) from exc
        done = ENUM_COMMA.join(str(p) for p in renamed)
        raise OutputError(
            SAY["output_partly_written"].format(path=failed, reason=exc.strerror, done=done)
        ) from exc
    return renamed


def _target(folder: Path, name: str) -> Path:
    """Returns ``folder / name``; refuses a name that is empty, absolute or climbs out."""
    parts = PurePosixPath(name).parts
    if not name or "\x00" in name or name.startswith(("/", "\\")) or not parts or ".." in parts:
        raise OutputError(SAY["output_bad_name"].format(name=name))
    return folder.joinpath(*parts)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return SAY["output_kind_folder"]
    if stat.S_ISREG(mode):
        return SAY["output_kind_file"]
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return SAY["output_kind_device"]
    if stat.S_ISFIFO(mode):
        return SAY["output_kind_fifo"]
    if stat.S_ISSOCK(mode):
        return SAY["output_kind_socket"]
    return SAY["output_kind_other"]


def _check_replaceable(path: Path) -> None:
    """Refuses a target that a rename must not replace: anything but a regular file, a symbolic
    link (replaced itself, never written through) or nothing. The final link is not followed."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except NotADirectoryError:
        return  # a file on the way: _check_folder names it
    except OSError as exc:
        raise OutputError(SAY["output_unwritable"].format(path=path, reason=exc.strerror)) from exc
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise OutputBlocked(
            SAY["output_not_regular"].format(path=path, kind=_kind(mode)), hint=SAY["output_blocked.hint"]
        )


def _check_folder(folder: Path) -> None:
    """Refuses a folder whose nearest existing part (itself or a parent) is not a folder."""
    current = folder
    while not os.path.lexists(current) and current != current.parent:
        current = current.parent
    if os.path.isdir(current):
        return
    try:
        mode = os.stat(current).st_mode
    except OSError:  # a dangling link on the way
        mode = os.lstat(current).st_mode
    raise OutputBlocked(
        SAY["output_not_folder"].format(path=current, kind=_kind(mode)), hint=SAY["output_blocked.hint"]
    )


def _make_folders(folders: Iterable[Path], created: list[Path]) -> None:
    """Creates the missing ``folders`` (and parents), adding each to ``created`` (outermost first)
    as soon as it exists, so that a failure half-way can remove them."""
    for folder in dict.fromkeys(folders):
        missing = []
        current = folder
        while not os.path.lexists(current) and current != current.parent:
            missing.append(current)
            current = current.parent
        for path in reversed(missing):
            try:
                path.mkdir()
            except FileExistsError:
                continue
            except OSError as exc:
                raise OutputError(SAY["output_folder_failed"].format(path=path, reason=exc.strerror)) from exc
            created.append(path)


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty any more (someone else wrote there): leave it
        folder.rmdir()


def _write_temp(target: Path, data: bytes, durable: bool) -> Path:
    """Returns a temporary file beside ``target`` holding ``data``, flushed to disk if ``durable``."""
    import tempfile  # imports random: kept off the start-up path of commands that write nothing

    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(SAY["output_unwritable"].format(path=target, reason=exc.strerror)) from exc
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.chmod(temp, 0o666 & ~_umask())  # mkstemp's 0600 would hide outputs from the group
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OutputError(SAY["output_unwritable"].format(path=target, reason=exc.strerror)) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
