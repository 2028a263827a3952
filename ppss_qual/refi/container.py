"""A .qdpx archive opened safely: no climbing paths, no links, no zip bombs; members are read in memory.

Nothing is ever extracted to disk. Every member's name and kind is checked before anything is read, and
a member's size is counted while it inflates (declared sizes can lie), against a limit per member and a
limit for the whole archive.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType

from ppss_qual.errors import InputError

MAX_MEMBER_BYTES = 500 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_MEMBERS = 200_000
_CHUNK = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True, slots=True)
class Limits:
    member: int = MAX_MEMBER_BYTES
    total: int = MAX_TOTAL_BYTES
    members: int = MAX_MEMBERS


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


class Container:
    """A checked .qdpx archive; `read` inflates one member into memory within the limits."""

    def __init__(self, path: Path, limits: Limits | None = None):
        self.path = Path(path)
        self.where = str(path)
        self.limits = limits or Limits()
        self._inflated = 0
        try:
            self._zip = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise InputError(self.where, "no such file") from None
        except IsADirectoryError:
            raise InputError(self.where, "a folder, not a .qdpx file") from None
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise InputError(
                self.where, f"not a REFI-QDA project (.qdpx is a zip archive; this file is not one: {exc})"
            ) from None
        try:
            self.infos = self._zip.infolist()
            self._check()
        except BaseException:
            self._zip.close()
            raise
        self._by_key = {info.filename.replace("\\", "/").casefold(): info for info in self.infos}

    def __enter__(self) -> Container:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def refuse(self, message: str) -> InputError:
        return InputError(self.where, f"refused: {message}; nothing was imported")

    def _check(self) -> None:
        if len(self.infos) > self.limits.members:
            raise self.refuse(
                f"the archive holds {len(self.infos):,} members (at most {self.limits.members:,})"
            )
        declared = 0
        for info in self.infos:
            name = info.filename
            parts = name.replace("\\", "/").split("/")
            if "\x00" in name:
                raise self.refuse(f"member {name!r} has a NUL character in its name")
            if name.startswith(("/", "\\")) or _DRIVE.match(name):
                raise self.refuse(f"member {name!r} has an absolute path")
            if ".." in parts:
                raise self.refuse(f"member {name!r} climbs out of the archive with '..'")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise self.refuse(f"member {name!r} is a symbolic link")
            if info.flag_bits & 0x1:
                raise self.refuse(f"member {name!r} is encrypted")
            if info.file_size > self.limits.member:
                raise self.refuse(
                    f"member {name!r} declares {_mb(info.file_size)} uncompressed "
                    f"(at most {_mb(self.limits.member)} a member): a zip bomb?"
                )
            declared += info.file_size
        if declared > self.limits.total:
            raise self.refuse(
                f"the members declare {_mb(declared)} uncompressed (at most {_mb(self.limits.total)}): a zip bomb?"
            )

    # -- finding members --------------------------------------------------------------------------
    def project_member(self) -> zipfile.ZipInfo:
        """The project's .qde file: the one *.qde at the top of the archive (any name)."""
        top = [
            i for i in self.infos if "/" not in i.filename.strip("/") and i.filename.lower().endswith(".qde")
        ]
        if len(top) > 1:
            named = [i for i in top if i.filename.lower() == "project.qde"]
            if len(named) != 1:
                names = ", ".join(i.filename for i in top)
                raise InputError(
                    self.where, f"several .qde files at the top of the archive ({names}); expected one"
                )
            return named[0]
        if not top:
            raise InputError(
                self.where, "no project .qde file at the top of the archive: not a REFI-QDA project (.qdpx)"
            )
        return top[0]

    def source_member(self, reference: str) -> zipfile.ZipInfo | None:
        """The member an `internal://NAME` path names: Sources/NAME or sources/NAME (any case), else NAME."""
        name = reference.split("://", 1)[1] if "://" in reference else reference
        name = name.replace("\\", "/").lstrip("/")
        for key in (f"sources/{name}", name):
            info = self._by_key.get(key.casefold())
            if info is not None:
                return info
        base = PurePosixPath(name).name.casefold()
        hits = [i for k, i in self._by_key.items() if k.rsplit("/", 1)[-1] == base]
        return hits[0] if len(hits) == 1 else None

    # -- reading ----------------------------------------------------------------------------------
    def read(self, info: zipfile.ZipInfo) -> bytes:
        """A member's bytes, counted while they inflate; refused past the limits."""
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as stream:
                while True:
                    chunk = stream.read(_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > self.limits.member:
                        raise self.refuse(
                            f"member {info.filename!r} inflates to more than {_mb(self.limits.member)}: a zip bomb?"
                        )
                    if self._inflated + size > self.limits.total:
                        raise self.refuse(
                            f"the archive inflates to more than {_mb(self.limits.total)}: a zip bomb?"
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
            raise InputError(self.where, f"member {info.filename!r} is damaged ({exc})") from None
        self._inflated += size
        return b"".join(chunks)
