"""Settings: one frozen dataclass, loaded from defaults < TOML file < CLUSTERLOD_* environment < CLI flags."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from publisher.errors import SettingsError
from publisher.uris import check_base

ENV_PREFIX = "CLUSTERLOD_"
DEFAULT_CONFIG_FILE = Path("clusterlod.toml")
CONTRIBUTORS = "http://dcat-ap.de/def/contributors/"


@dataclass(frozen=True)
class Settings:
    """Every setting of the publisher; the README's settings table is generated from the help texts."""

    base: str = field(
        default="http://localhost:8080/",
        metadata={"help": "IRI every URI is minted under ({base}id/..., {base}def/cluster); ends in '/'."},
    )
    data_dir: Path = field(default=Path("data"), metadata={"help": "Folder of the source tables (CSV)."})
    releases_dir: Path = field(
        default=Path("releases"), metadata={"help": "Folder holding the releases and the `current` link."}
    )
    host: str = field(default="127.0.0.1", metadata={"help": "Interface the server listens on."})
    port: int = field(default=8080, metadata={"help": "Port the server listens on."})
    licence: str = field(
        default="",
        metadata={
            "help": "Licence IRI of the data; empty: publication.csv's `licence`, else Datenlizenz "
            "Deutschland, Namensnennung 2.0 (with a warning)."
        },
    )
    publisher_name: str = field(
        default="",
        metadata={
            "help": "Organisation publishing the dataset (DCAT `dcterms:publisher`, vCard name, "
            "attribution); "
            "empty: publication.csv's `publisher-name`, else `clusterlod` (with a warning)."
        },
    )
    publisher_url: str = field(
        default="",
        metadata={
            "help": "Home page of the publishing organisation; empty: publication.csv's `publisher-url`."
        },
    )
    contact_email: str = field(
        default="",
        metadata={
            "help": "E-mail address of the dataset's contact point (DCAT `dcat:contactPoint`); empty: "
            "publication.csv's `contact-email`."
        },
    )
    contact_url: str = field(
        default="",
        metadata={
            "help": "Contact page URL; empty: publication.csv's `contact-url`; without a URL and an e-mail, "
            "the publisher's or this site's home page."
        },
    )
    contributor_id: str = field(
        default="",
        metadata={
            "help": "GovData contributor IRI for `dcatde:contributorID` "
            "(http://dcat-ap.de/def/contributors/...), which GovData assigns; DCAT-AP.de 2.0 requires it. "
            "Empty: publication.csv's `contributor-id`."
        },
    )
    attribution: str = field(
        default="",
        metadata={
            "help": "Attribution text the licence asks for (`dcatde:licenseAttributionByText`); empty: "
            "publication.csv's `attribution`, else the publisher's name."
        },
    )
    document_cache: int = field(
        default=4096, metadata={"help": "Rendered documents kept in memory per server process (0: none)."}
    )
    query_timeout: float = field(
        default=10.0,
        metadata={"help": "Seconds a SPARQL query may run; a client may ask for less (`timeout=`)."},
    )
    max_rows: int = field(
        default=10000,
        metadata={"help": "Most result rows (or triples) a query returns; more is cut and signalled."},
    )
    max_request_bytes: int = field(
        default=262144, metadata={"help": "Largest request body or query string accepted, in bytes."}
    )
    query_workers: int = field(
        default=2,
        metadata={"help": "Query worker processes per server process (also the concurrency limit)."},
    )
    queue_timeout: float = field(
        default=2.0, metadata={"help": "Seconds a query waits for a free worker before the answer is 503."}
    )
    query_memory_mb: int = field(
        default=1024,
        metadata={"help": "MiB of memory each query worker may use; a query needing more is stopped (503)."},
    )
    keep_releases: int = field(
        default=5,
        metadata={
            "help": "Releases kept on disk; after a build the oldest beyond this are removed (at least 1)."
        },
    )
    allowed_services: tuple[str, ...] = field(
        default=(),
        metadata={"help": "Endpoints a query may call with SERVICE (comma-separated); none by default."},
    )
    read_rate_limit: str = field(
        default="20/second;600/minute",
        metadata={
            "help": "Requests one client may make for pages, documents, dumps and all else but the query "
            "services, in the notation of the `limits` library (`;` between limits; empty: no limit); "
            "beyond it, 429."
        },
    )
    query_rate_limit: str = field(
        default="10/second;300/minute",
        metadata={
            "help": "Requests one client may make to `{base}sparql` and `{base}reconcile`, a budget apart "
            "from `read_rate_limit`; beyond it, 429."
        },
    )
    rate_limit_storage: str = field(
        default="memory://",
        metadata={
            "help": "Where the budgets are counted: `memory://` counts in each server process (with N "
            "gunicorn workers a client gets up to N times its budget); `redis://host:6379` or "
            "`memcached://host:11211` share one count."
        },
    )
    trusted_proxies: int = field(
        default=0,
        metadata={
            "help": "Reverse proxies in front of the server whose `X-Forwarded-For` is believed; 0: none, a "
            "client is the socket's address. Set it only if clients cannot reach the server directly."
        },
    )
    client_queries: int = field(
        default=2,
        metadata={
            "help": "Queries one client may run at once, counted across the server processes of this "
            "machine; one more waits for one of them to end, but gets 503 once they have all run longer "
            "than `queue_timeout`; 0: no cap."
        },
    )
    run_dir: str = field(
        default="",
        metadata={
            "help": "Folder of the per-client query slots (lock files) the server processes share; empty: "
            "a folder per user and releases folder in the system's temporary folder."
        },
    )
    remote_query_url: str = field(
        default="",
        metadata={
            "help": "SPARQL 1.1 query endpoint of an external SPARQL server to load releases into and "
            "answer from (e.g. http://host:7878/query); empty: the embedded store."
        },
    )
    remote_store_url: str = field(
        default="",
        metadata={
            "help": "Graph Store Protocol endpoint of that server (e.g. http://host:7878/store); "
            "set together with `remote_query_url`."
        },
    )
    remote_load_timeout: float = field(
        default=600.0,
        metadata={"help": "Seconds the external SPARQL server may take to load (or drop) one release."},
    )
    remote_user: str = field(
        default="",
        metadata={
            "help": "User name for the external SPARQL server (both endpoints), e.g. `dba` for Virtuoso's "
            "/sparql-graph-crud-auth; empty: no authentication. Set together with `remote_password`."
        },
    )
    remote_password: str = field(
        default="",
        repr=False,
        metadata={"help": "Password of `remote_user` (never logged; better set in the environment)."},
    )
    remote_auth: str = field(
        default="digest",
        metadata={"help": "HTTP authentication scheme for `remote_user`: `digest` (Virtuoso) or `basic`."},
    )

    def __post_init__(self) -> None:
        check_base(self.base)
        if not 0 < self.port < 65536:
            raise SettingsError(f"port {self.port} is not between 1 and 65535")
        for name in (
            "query_timeout",
            "max_rows",
            "max_request_bytes",
            "query_workers",
            "queue_timeout",
            "query_memory_mb",
            "keep_releases",
            "remote_load_timeout",
        ):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{name} must be greater than 0, not {getattr(self, name)}")
        if self.contributor_id and not self.contributor_id.startswith(CONTRIBUTORS):
            raise SettingsError(
                f"contributor_id {self.contributor_id!r} is not from GovData's list ({CONTRIBUTORS}...)"
            )
        if self.contact_email and ("@" not in self.contact_email or self.contact_email.startswith("mailto:")):
            raise SettingsError(f"contact_email {self.contact_email!r} is not an e-mail address (name@host)")
        _check_remote(self.remote_query_url, self.remote_store_url)
        _check_remote_auth(self)
        _check_limits(self)


def _check_limits(settings: Settings) -> None:
    """Budgets in the notation of the `limits` library, a storage it knows, no negative counts."""
    from limits import parse_many

    for name in ("read_rate_limit", "query_rate_limit"):
        value = getattr(settings, name)
        try:
            if value:
                parse_many(value)
        except ValueError:
            raise SettingsError(
                f"{name} {value!r} is not a rate limit such as '20/second;600/minute'"
            ) from None
    if "://" not in settings.rate_limit_storage:
        raise SettingsError(
            f"rate_limit_storage {settings.rate_limit_storage!r} is not a storage URI such as memory://, "
            "redis://host:6379 or memcached://host:11211"
        )
    for name in ("trusted_proxies", "client_queries"):
        if getattr(settings, name) < 0:
            raise SettingsError(f"{name} must be 0 or more, not {getattr(settings, name)}")


def _check_remote(query_url: str, store_url: str) -> None:
    """Both endpoints of an external SPARQL server or neither; each an absolute http(s) URL."""
    if bool(query_url) != bool(store_url):
        given, missing = (
            ("remote_query_url", "remote_store_url")
            if query_url
            else ("remote_store_url", "remote_query_url")
        )
        raise SettingsError(f"{given} is set but {missing} is not: an external SPARQL server needs both")
    for name, url in (("remote_query_url", query_url), ("remote_store_url", store_url)):
        parts = urlsplit(url)
        if url and (parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment):
            raise SettingsError(f"{name} {url!r} must be an absolute http(s) URL without a fragment")


def _check_remote_auth(settings: Settings) -> None:
    """User and password together or neither, only with an external server, and a known scheme."""
    if bool(settings.remote_user) != bool(settings.remote_password):
        given, missing = (
            ("remote_user", "remote_password") if settings.remote_user else ("remote_password", "remote_user")
        )
        raise SettingsError(f"{given} is set but {missing} is not: authentication needs both")
    if settings.remote_user and not settings.remote_query_url:
        raise SettingsError("remote_user is set but remote_query_url is not: there is no server to log in to")
    if settings.remote_auth not in ("basic", "digest"):
        raise SettingsError(f"remote_auth {settings.remote_auth!r} must be 'basic' or 'digest'")


def settings_table() -> list[tuple[str, str, str, str]]:
    """(name, environment variable, default, help) for every setting."""
    return [
        (f.name, ENV_PREFIX + f.name.upper(), _show(f.default), f.metadata["help"])
        for f in dataclasses.fields(Settings)
    ]


def _show(default: Any) -> str:
    return ",".join(default) if isinstance(default, tuple) else str(default)


def load_settings(
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
    flags: Mapping[str, Any] | None = None,
) -> Settings:
    """Merge the sources of settings in order of precedence; raise SettingsError naming the bad one."""
    values = {name: value for name, (value, _where) in _explicit(config_file, environ, flags).items()}
    try:
        return Settings(**values)
    except TypeError as error:
        raise SettingsError(str(error)) from error


def where_set(
    name: str,
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
    flags: Mapping[str, Any] | None = None,
) -> str | None:
    """Where the setting ``name`` gets its value (the flag, the environment variable or the settings file),
    or None when it keeps its default."""
    found = _explicit(config_file, environ, flags).get(name)
    return None if found is None else found[1]


def _explicit(
    config_file: Path | None, environ: Mapping[str, str] | None, flags: Mapping[str, Any] | None
) -> dict[str, tuple[Any, str]]:
    """Every setting some source sets, with its value and where it was set; the highest precedence wins."""
    environ = os.environ if environ is None else environ
    values: dict[str, tuple[Any, str]] = {}
    path = config_file or Path(environ.get(ENV_PREFIX + "CONFIG", "") or DEFAULT_CONFIG_FILE)
    if config_file is not None or path.exists() or ENV_PREFIX + "CONFIG" in environ:
        values.update((key, (value, str(path))) for key, value in _from_toml(path).items())
    for f in dataclasses.fields(Settings):
        name = ENV_PREFIX + f.name.upper()
        if name in environ:
            values[f.name] = (_convert(f, environ[name], name), name)
    for key, value in (flags or {}).items():
        if value is not None:
            flag = f"--{key.replace('_', '-')}"
            values[key] = (_convert(_field(key, "flag"), value, flag), flag)
    return values


def _from_toml(path: Path) -> dict[str, Any]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SettingsError(f"cannot read settings file {path}: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: not valid TOML: {error}") from error
    return {key: _convert(_field(key, str(path)), value, f"{path}: {key}") for key, value in raw.items()}


def _field(name: str, where: str) -> dataclasses.Field[Any]:
    for f in dataclasses.fields(Settings):
        if f.name == name:
            return f
    known = ", ".join(f.name for f in dataclasses.fields(Settings))
    raise SettingsError(f"{where}: unknown setting {name!r}; known settings: {known}")


def _convert(f: dataclasses.Field[Any], value: Any, where: str) -> Any:
    kind = type(f.default)
    try:
        if kind is tuple:
            items = value.split(",") if isinstance(value, str) else list(value)
            return tuple(str(item).strip() for item in items if str(item).strip())
        if kind is int:
            return int(value)
        if kind is float:
            return float(value)
        if issubclass(kind, Path):
            return Path(value)
        return str(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{where}: {value!r} is not a valid {f.name}") from None


def settings_markdown() -> str:
    """The settings table as it appears in README.md (a test keeps the two equal)."""
    lines = ["| setting | environment | default | what it does |", "|---|---|---|---|"]
    lines += [
        f"| `{name}` | `{env}` | `{default}` | {help_} |" for name, env, default, help_ in settings_table()
    ]
    return "\n".join(lines)
