"""Archives: tar (plain or compressed) and zip.  Each regular member is a page.

Read as streams, member after member: a tar.gz is never unpacked to disk and memory
stays flat however big it is.  Nothing in an archive is followed: links, and members
named with ``..`` or an absolute path, fail one by one (a member is only ever read
into memory, never written anywhere, but such a name is a sign of a hostile archive
and no page).  A member that cannot be read fails alone; the others are still read.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import PurePosixPath
from typing import IO

from ..errors import InputError
from .compressed import decompress
from .files import AMSTERDAM, display, open_input, too_big
from .model import Document, ReadOptions

TAR_MAGIC = b"ustar"  # at offset 257 of a tar header (POSIX and GNU)
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a member, or the end of an empty archive


def is_tar(head: bytes) -> bool:
    return head[257:262] == TAR_MAGIC


def is_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC)


def member_source(container: str, name: str) -> str:
    """The source of a page in an archive: ``crawl.tar.gz!2025/06/page001.txt`` (a name
    that is not UTF-8 written as the file system's are, ``\\xff``)."""
    return f"{container}!{display(name)}"


def unsafe(name: str) -> str | None:
    """Why a member name is not read as a page; None for a plain relative name."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or name[1:3] == ":\\" or name[1:3] == ":/":
        return "an absolute member name, not followed"
    if ".." in path.parts:
        return "a member name with '..', not followed"
    return None


def tar_documents(
    stream: IO[bytes], container: str, options: ReadOptions, with_mtime: bool
) -> Iterator[Document | InputError]:
    """The pages of a tar archive, streamed (``r|``: no seeking back, nothing kept)."""
    import tarfile  # here: a command that meets no archive starts without it

    try:
        archive = tarfile.open(fileobj=stream, mode="r|")  # noqa: SIM115 (closed below)
    except (tarfile.TarError, OSError, EOFError) as exc:
        yield InputError(f"not a readable tar archive ({exc})", source=container)
        return
    limit = options.max_page_size
    with archive:
        try:
            for member in archive:
                # A streamed TarFile keeps every header it read (a million members of a
                # 5 GB crawl: hundreds of MB); none is needed again once passed.  (Its
                # ``members`` list is not in typeshed's stubs.)
                archive.members.clear()  # type: ignore[attr-defined]
                source = member_source(container, member.name)
                problem = unsafe(member.name)
                if member.isdir():
                    continue
                if problem is None and (member.issym() or member.islnk()):
                    problem = f"a link (to {member.linkname!r}), not followed"
                elif problem is None and not member.isreg():
                    problem = "not a regular file"
                if problem is not None:
                    yield InputError(problem, source=source)
                    continue
                if member.size > limit:  # skipped unread: the stream goes past it
                    yield too_big(source, limit)
                    continue
                handle = archive.extractfile(member)
                assert handle is not None  # a regular member always has one
                try:
                    data = decompress(handle.read(), source, limit)
                except InputError as exc:
                    yield exc
                    continue
                when = (datetime.fromtimestamp(member.mtime, tz=AMSTERDAM)
                        if with_mtime else None)
                yield Document(source, data, when)
        except (tarfile.TarError, OSError, EOFError) as exc:
            # The rest of the archive cannot be reached (cut short, bad data): said once.
            why = "cut short" if isinstance(exc, EOFError) else str(exc)
            yield InputError(f"tar archive unreadable from here on ({why})", source=container)


def zip_documents(
    path: str, container: str, options: ReadOptions, with_mtime: bool
) -> Iterator[Document | InputError]:
    """The pages of a zip archive (read from its file, opened again: zip's index is at
    its end)."""
    import zipfile

    zipped = open_input(path)
    try:
        archive = zipfile.ZipFile(zipped)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        zipped.close()
        yield InputError(f"not a readable zip archive ({exc})", source=container)
        return
    limit = options.max_page_size
    with zipped, archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            source = member_source(container, member.filename)
            problem = unsafe(member.filename)
            mode = member.external_attr >> 16
            if problem is None and stat.S_ISLNK(mode):
                problem = "a link, not followed"
            elif problem is None and stat.S_IFMT(mode) and not stat.S_ISREG(mode):
                problem = "not a regular file"
            if problem is not None:
                yield InputError(problem, source=source)
                continue
            if member.file_size > limit:
                yield too_big(source, limit)
                continue
            try:
                with archive.open(member) as handle:
                    data = handle.read(limit + 1)  # the size in the index may lie
                if len(data) > limit:
                    raise too_big(source, limit)
                data = decompress(data, source, limit)
            except InputError as exc:
                yield exc
                continue
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError,
                    RuntimeError) as exc:  # bad data, an unknown method, a password
                yield InputError(f"cannot read member ({exc})", source=source)
                continue
            when = datetime(*member.date_time, tzinfo=AMSTERDAM) if with_mtime else None
            yield Document(source, data, when)
