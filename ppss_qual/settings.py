"""Personal settings (coder name, key bindings) in the user's own config folder, never in the project."""

from __future__ import annotations

import getpass
import os
import tomllib
from pathlib import Path
from typing import Any


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "ppss_qual"


def config_path() -> Path:
    return config_dir() / "config.toml"


def load() -> dict[str, Any]:
    path = config_path()
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def save(settings: dict[str, Any]) -> None:
    """Write flat settings and one level of tables (e.g. [keys]) as TOML."""
    lines: list[str] = []
    tables: list[str] = []
    for key, value in settings.items():
        if isinstance(value, dict):
            tables.append(f"\n[{key}]")
            tables.extend(f"{k} = {_toml(v)}" for k, v in value.items())
        else:
            lines.append(f"{key} = {_toml(value)}")
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines + tables) + "\n", encoding="utf-8")
    tmp.replace(path)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def coder_name(explicit: str | None = None) -> str:
    """--coder, else PPSS_QUAL_CODER, else the name chosen once in the config, else the login name."""
    for candidate in (explicit, os.environ.get("PPSS_QUAL_CODER"), load().get("coder")):
        if candidate and str(candidate).strip():
            return str(candidate).strip()
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "coder"
