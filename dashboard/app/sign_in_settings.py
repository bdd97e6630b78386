"""Whether the app runs with sign-in or in demo mode, decided so that it fails closed.

Demo mode (anyone may view as anyone) only when there is no secrets file at all. A secrets file
that exists must parse and hold a valid `[auth]` section with a strong `cookie_secret`; anything
else stops the server with one line, never falling back to demo mode.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

# What OpenID Connect needs in `[auth]` (one provider, the one `st.login()` uses).
REQUIRED = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
MIN_SECRET_BYTES = 32
# Secrets that were ever shipped as an example: known to everyone, so never accepted.
EXAMPLE_SECRETS = frozenset({"a long random string", "change me", "changeme", "secret"})
MAKE_SECRET = 'python3 -c "import secrets; print(secrets.token_urlsafe(48))"'

SESSION_HOURS_VAR = "CUSTOMER_ACTIVITY_SESSION_HOURS"
DEFAULT_SESSION_HOURS = 12.0


class SignInMisconfigured(Exception):
    """A secrets file exists but cannot be used for sign-in: said in one line."""


def default_secrets_files() -> list[Path]:
    """Where Streamlit looks for secrets when not told otherwise."""
    return [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"]


def secrets_files_in(options: Sequence[str]) -> list[Path] | None:
    """The files named by `--secrets.files` among Streamlit's command-line `options`, or None
    when the option is not given."""
    found: list[Path] = []
    given = False
    for i, option in enumerate(options):
        if option == "--secrets.files" and i + 1 < len(options):
            given = True
            found.append(Path(options[i + 1]))
        elif option.startswith("--secrets.files="):
            given = True
            found.append(Path(option.split("=", 1)[1]))
    env = os.environ.get("STREAMLIT_SECRETS_FILES")
    if not given and env:
        return [Path(part) for part in env.split(",") if part]
    return found if given else None


def existing(paths: Sequence[Path]) -> list[Path]:
    """The paths that exist in any form (a dangling link or a folder counts: it is not nothing)."""
    return [path for path in paths if path.exists() or path.is_symlink()]


def check_auth(auth: object, where: str) -> None:
    """Raise SignInMisconfigured unless `auth` is a usable `[auth]` section."""
    if not isinstance(auth, Mapping):
        raise SignInMisconfigured(f"{where}: [auth] must be a section of settings")
    missing = [key for key in REQUIRED if not str(auth.get(key) or "").strip()]
    if missing:
        raise SignInMisconfigured(f"{where}: [auth] lacks {', '.join(missing)}")
    secret = str(auth["cookie_secret"])
    if secret.strip().lower() in EXAMPLE_SECRETS:
        raise SignInMisconfigured(
            f"{where}: cookie_secret is the example's; make one with: {MAKE_SECRET}"
        )
    if len(secret.encode()) < MIN_SECRET_BYTES:
        raise SignInMisconfigured(
            f"{where}: cookie_secret is shorter than {MIN_SECRET_BYTES} bytes; "
            f"make one with: {MAKE_SECRET}"
        )


def check_files(paths: Sequence[Path]) -> bool:
    """True for sign-in, False for demo mode (no secrets file at all); SignInMisconfigured when
    a secrets file exists but does not give a valid `[auth]`."""
    present = existing(paths)
    if not present:
        return False
    auth = None
    for path in present:
        try:
            settings = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as problem:
            raise SignInMisconfigured(f"{path}: cannot be read ({problem})") from None
        except tomllib.TOMLDecodeError as problem:
            raise SignInMisconfigured(f"{path}: is not valid TOML ({problem})") from None
        if "auth" in settings:
            auth = (path, settings["auth"])  # a later file wins, as in Streamlit
    if auth is None:
        names = ", ".join(str(path) for path in present)
        raise SignInMisconfigured(f"{names}: no [auth] section (spelt in lower case)")
    check_auth(auth[1], str(auth[0]))
    return True


def session_hours() -> float:
    """How long a sign-in lasts at most, whatever the ID token says."""
    text = os.environ.get(SESSION_HOURS_VAR, "")
    if not text:
        return DEFAULT_SESSION_HOURS
    try:
        hours = float(text)
    except ValueError:
        raise SignInMisconfigured(
            f"{SESSION_HOURS_VAR}={text!r} is not a number of hours"
        ) from None
    if not hours > 0:
        raise SignInMisconfigured(f"{SESSION_HOURS_VAR}={text!r} must be more than 0")
    return hours
