"""Write a whole file or folder or nothing: build it beside the target, then rename it into place."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath

from ehelse_cli.core.errors import EhelseError
from ehelse_cli.core.text import join_and

MARKER = ".ehelse-utdata"  # in every folder atomic_folder writes; --force replaces only a folder that has it
MARKER_TEXT = "Denne mappen er skrevet av ehelse. Med --force erstattes den i sin helhet ved neste kjøring.\n"
SHOWN = 5  # how many of a folder's files a refusal names
NAME_MAX_BYTES = 255  # the longest file name ext4, XFS, APFS and NTFS (in UTF-16 units) take
PATH_MAX_BYTES = 4096  # Linux's PATH_MAX
TEMP_NAME_BYTES = 200  # of the output's name in a temporary name: with «.», «.», 8 random and «.tmp» under 255


class OutputError(EhelseError):
    """Raised when the output folder exists (without --force) or cannot be written."""


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Call `write` with a temporary file beside `path`, then rename it to `path`; on any error, Ctrl-C,
    SIGTERM or SIGHUP the temporary file is removed and `path` is left as it was.

    «Beside» means in the folder of `path` as given, not of what a symbolic link points to: the link
    itself is replaced (a rename across file systems would fail with EXDEV)."""
    place = Path(os.path.abspath(path))
    handle, name = tempfile.mkstemp(prefix=temporary_prefix(place), suffix=".tmp", dir=place.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; the result is an ordinary file
        os.replace(tmp, place)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def temporary_prefix(place: Path) -> str:
    """«.<name>.» for a temporary file or folder beside `place`, its name cut so that the temporary name
    (the prefix, eight random characters and a suffix) stays within what a file system allows."""
    return f".{cut_bytes(place.name, TEMP_NAME_BYTES)}."


def cut_bytes(text: str, limit: int) -> str:
    """`text` cut to at most `limit` bytes of UTF-8, never inside a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def refuse_long_name(path: Path) -> None:
    """Say before any work that a name is longer than a file system takes (ENAMETOOLONG), rather than
    meet it while writing."""
    longest = max((part for part in path.parts), key=lambda part: len(part.encode("utf-8")), default="")
    size = len(longest.encode("utf-8"))
    if size > NAME_MAX_BYTES:
        raise OutputError(
            f"«{_short(longest)}» er for langt som navn på en fil eller mappe ({size} byte; de fleste "
            f"filsystemer tar høyst {NAME_MAX_BYTES}). Velg et kortere navn."
        )
    whole = len(os.fsencode(os.path.abspath(path)))
    if whole > PATH_MAX_BYTES:
        raise OutputError(
            f"Stien «{_short(str(path))}» er for lang ({whole} byte; høyst {PATH_MAX_BYTES}). Velg en kortere sti."
        )


def _short(text: str) -> str:
    """A long name as its start and end, for a message."""
    return text if len(text) <= 60 else f"{text[:30]}…{text[-20:]}"


def file_in_the_way(path: Path) -> str | None:
    """A file where one of the folders of `path` should be (missing folders are made, so they are fine)."""
    for folder in reversed(path.parents):
        if not folder.exists():
            return None
        if not folder.is_dir():
            return f"«{folder}» er en fil, ikke en mappe. Velg en annen sti, eller flytt filen."
    return None


def refuse_existing(target: Path, force: bool, *, ours: Callable[[PurePath], bool]) -> None:
    """Stop before any work when `target` is in the way. `ours` says which files (relative to `target`)
    the command writes: --force replaces only a folder with the marker and nothing else in it. An empty
    folder (made in advance) is taken as it is; missing folders above `target` are made."""
    refuse_unsafe(target)
    refuse_long_name(target)
    if (problem := file_in_the_way(target)) is not None:
        raise OutputError(f"«{target}»: {problem}")
    if not target.exists():
        return
    if not target.is_dir():
        raise OutputError(f"«{target}» finnes og er ikke en mappe. Velg en annen mappe med --out.")
    try:
        entries = sorted(os.listdir(target))
    except OSError as exc:
        raise OutputError(f"Kan ikke se hva mappen «{target}» inneholder: {explain(exc, target)}") from None
    if not entries:
        return
    if entries and MARKER not in entries:
        raise OutputError(
            f"Mappen «{target}» finnes allerede, og ehelse har ikke skrevet den (filen {MARKER} "
            f"mangler), så den erstattes ikke, heller ikke med --force. Den inneholder "
            f"{_some([e + '/' if (target / e).is_dir() else e for e in entries])}. Velg en annen "
            "mappe med --out, eller flytt eller slett den selv."
        )
    strangers = _strangers(target, ours)
    if strangers:
        raise OutputError(
            f"Mappen «{target}» har filer som ehelse ikke har skrevet: {_some(strangers)}. "
            "--force erstatter bare en mappe med det ehelse skrev; flytt filene ut, eller velg en "
            "annen mappe med --out."
        )
    if not force:
        raise OutputError(
            f"Mappen «{target}» finnes allerede. Velg en annen mappe med --out, eller bruk --force for å erstatte den."
        )


def _strangers(folder: Path, ours: Callable[[PurePath], bool]) -> list[str]:
    """Everything below `folder` that replacing it would delete and the command did not write: other
    files, links, and what cannot be read."""
    found: list[str] = []

    def unreadable(exc: OSError) -> None:
        found.append(os.path.relpath(exc.filename or folder, folder))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        here = Path(root)
        for name in sorted(dirs):
            if (here / name).is_symlink():
                found.append((here / name).relative_to(folder).as_posix())
        for name in sorted(files):
            rel = (here / name).relative_to(folder)
            if (here / name).is_symlink() or not (rel == PurePath(MARKER) or ours(rel)):
                found.append(rel.as_posix())
    return sorted(found)


def _some(names: list[str]) -> str:
    """«a, b og c», or the first few and how many more."""
    return join_and(names, SHOWN)


def refuse_unsafe(target: Path) -> None:
    """An output folder is replaced whole, so it can never be one that holds other things by nature: the
    folder the user stands in or one above it, the root of the file system or the home folder."""
    real, here = target.resolve(), Path.cwd().resolve()
    if real == Path(real.anchor):
        what = "er roten av filsystemet"
    elif real == Path(os.path.expanduser("~")).resolve():
        what = "er hjemmemappen din"
    elif real == here:
        what = "er mappen du står i"
    elif real in here.parents:
        what = "ligger over mappen du står i"
    else:
        return
    raise OutputError(
        f"«{target}» {what}. Utdatamappen lages og erstattes i sin helhet, så den må være en egen "
        "mappe: velg en ny undermappe med --out, f.eks. --out fakturaer."
    )


@contextmanager
def atomic_folder(target: Path, *, force: bool, ours: Callable[[PurePath], bool]) -> Iterator[Path]:
    """Yield a temporary folder beside `target`; on success it becomes `target`, on any error or
    Ctrl-C it is removed, so there is never a partial `target`. An existing `target` is replaced
    only with `force`, only if this tool wrote it (`refuse_existing`), and only once the new one is complete."""
    refuse_existing(target, force, ours=ours)
    place = Path(os.path.abspath(target))  # «./x» and «a/..» by plain name: the temporary names derive from it
    try:
        place.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=temporary_prefix(place), suffix=".tmp", dir=place.parent))
    except OSError as exc:
        raise OutputError(f"Kan ikke lage mappen «{target}»: {explain(exc, target)}") from None
    try:
        try:
            (work / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            yield work
        except OSError as exc:
            raise OutputError(
                f"Kunne ikke skrive til «{target}»: {explain(exc, target)} Ingenting er skrevet."
            ) from None
        os.chmod(work, 0o777 & ~_umask())  # mkdtemp makes it private; the result is an ordinary folder
        refuse_existing(target, force, ours=ours)  # it may have appeared or changed while we wrote
        _move_into_place(work, place, shown=target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _move_into_place(work: Path, place: Path, *, shown: Path) -> None:
    """Rename `work` to `place`; an existing `place` is first moved aside and removed only once the new
    one is in place. If a rename fails, the old `place` is put back and the user is told (as `shown`)."""
    old = aside = None
    try:
        if place.exists():
            old = Path(tempfile.mkdtemp(prefix=temporary_prefix(place), suffix=".old", dir=place.parent))
            aside = old / place.name
            os.replace(place, aside)
        os.replace(work, place)
    except BaseException as exc:  # also Ctrl-C between the two renames: the previous folder goes back
        stranded = aside is not None and aside.exists() and not _put_back(aside, place)
        if old is not None and not stranded:
            shutil.rmtree(old, ignore_errors=True)
        if not isinstance(exc, OSError):
            raise
        outcome = f"Den forrige mappen ligger nå i «{aside}»." if stranded else "Ingenting er endret."
        raise OutputError(
            f"Kan ikke flytte de nye filene på plass som «{shown}»: {explain(exc, shown)} {outcome}"
        ) from None
    if old is not None:
        try:
            shutil.rmtree(old, ignore_errors=True)
        except BaseException:  # a signal while the old folder goes: the new one is in place, so finish, then stop
            shutil.rmtree(old, ignore_errors=True)  # the signal handler ignores further signals meanwhile
            raise


def _put_back(aside: Path, place: Path) -> bool:
    """Return the previous folder to its place after a failed swap; False if even that fails."""
    try:
        os.replace(aside, place)
    except OSError:
        return False
    return True


def explain(exc: OSError, path: Path) -> str:
    """What an OS error while making `path` means and what to do, as Norwegian sentences; rare errors
    not named here keep the system's own text."""
    code = exc.errno
    where = _folder_of(exc, path)
    if code in (errno.ENOENT, errno.ENOTDIR, errno.EEXIST) and (problem := missing_folder(path)):
        return problem
    if code == errno.ENOENT:
        return f"mappen «{where}» tar ikke imot nye filer. Velg en annen mappe."
    if code == errno.ENOTDIR:
        return f"en del av stien «{path}» er ikke en mappe. Sjekk stien."
    if code == errno.EEXIST:
        return f"«{path}» finnes allerede. Velg et annet navn."
    if code == errno.EISDIR:
        return f"«{path}» er en mappe, ikke en fil. Velg et annet filnavn."
    if code in (errno.EACCES, errno.EPERM):
        return f"du har ikke tilgang til «{where}». Velg en mappe du kan skrive i, eller be om tilgang."
    if code == errno.EROFS:
        return f"«{where}» ligger på et skrivebeskyttet filsystem. Velg en mappe på en disk du kan skrive til."
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "disken er full, eller lagringskvoten er brukt opp. Frigjør plass, eller velg en mappe på en annen disk."
    if code == errno.EBUSY:
        return (
            f"«{path}» er i bruk (et monteringspunkt, eller åpen i et annet program). Lukk programmet, eller "
            "velg en annen mappe."
        )
    if code == errno.ENAMETOOLONG:
        return f"navnet «{path}» er for langt. Velg et kortere navn eller en mappe med kortere sti."
    return f"{exc.strerror or exc} (feil fra operativsystemet)."


def missing_folder(path: Path) -> str | None:
    """Why `path` has no folder to be made in: a file where a folder should be, or a folder that does not
    exist; None when its folder is there."""
    for folder in reversed(path.parents):
        if not folder.exists():
            return f"mappen «{path.parent}» finnes ikke. Lag den først, eller velg en annen sti."
        if not folder.is_dir():
            return f"«{folder}» er en fil, ikke en mappe. Velg en annen sti, eller flytt filen."
    return None


def _folder_of(exc: OSError, path: Path) -> Path:
    """The folder an error is about: the one the system names, else the nearest folder of `path` that
    exists (a temporary name beside it means nothing to the user)."""
    if exc.filename and os.path.isdir(exc.filename):
        return Path(exc.filename)
    return next((p for p in path.parents if p.is_dir()), path.parent)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
