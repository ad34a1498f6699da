"""Settings read from environment variables (documented in `.env.example`).

Every setting has a default that works on a fresh machine with no
configuration: SQLite files under `var/`, services on loopback.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

__all__ = ["PROJECT_ROOT", "RASA_TURNS_IN_FLIGHT", "Malform", "Settings", "load_settings"]

from medverk.names import Malform

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name, "").strip()
    return value or default


# Turns a gateway has in flight to one Rasa engine at once (Settings.rasa_turns_in_flight).
RASA_TURNS_IN_FLIGHT = 16


def _env_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    return int(raw) if raw else default


def _env_list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    raw = env.get(name, "")
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def async_database_url(url: str) -> str:
    """Return `url` with an asyncio driver, so users may give plain URLs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
    return url


def _secret_key(env: Mapping[str, str], var_dir: Path) -> str:
    """Use MEDVERK_SECRET_KEY, else a random key kept in `var/` (never committed)."""
    configured = env.get("MEDVERK_SECRET_KEY", "").strip()
    if configured:
        return configured
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key


@dataclass(frozen=True)
class Settings:
    """All run-time configuration of Medverk."""

    var_dir: Path
    database_url: str
    secret_key: str
    default_malform: Malform
    rasa_url: str
    action_server_url: str
    host: str
    port: int
    public_url: str
    case_source: str
    cases_dir: Path
    knowledge_dir: Path
    einnsyn_api_url: str
    einnsyn_api_key: str
    case_sync_interval_seconds: int
    retention_days: int
    allowed_origins: tuple[str, ...]
    contact_name: str
    contact_email: str
    contact_phone: str
    telegram_bot_token: str
    telegram_api_base_url: str
    telegram_webhook_url: str
    telegram_webhook_secret: str
    rasa_tracker_db: Path
    # Set for a PostgreSQL tracker store (scale-out); empty means the SQLite file above.
    rasa_tracker_url: str = ""
    # What the retention job does with input older than retention_days.
    retention_mode: Literal["anonymise", "delete"] = "anonymise"
    # Web chat API: messages per minute per conversation and per IP address.
    chat_limit_per_sender: int = 20
    chat_limit_per_ip: int = 900
    # Turns a gateway has in flight to the Rasa engine at once; more wait their turn in the
    # gateway (bot/rasa_client.py explains why). The cluster's gateways: this per engine.
    rasa_turns_in_flight: int = RASA_TURNS_IN_FLIGHT
    # Reverse proxies in front of the gateway that append to X-Forwarded-For
    # (0: clients connect directly). Needed for per-IP limits behind a proxy.
    trusted_proxy_hops: int = 0
    # The målform the case data is written in; the sync translates it into the other.
    case_malform: Malform = "nn"
    # Bearer token for GET /metrics from elsewhere than loopback (empty: loopback only).
    metrics_token: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def rasa_api_token(self) -> str:
        """Token for Rasa's HTTP API (loopback only), derived from the secret key."""
        return hmac.new(self.secret_key.encode(), b"rasa-api", hashlib.sha256).hexdigest()[:40]

    @property
    def action_server_token(self) -> str:
        """What Rasa sends the action server in X-Medverk-Action-Token (F3)."""
        return hmac.new(self.secret_key.encode(), b"action-server", hashlib.sha256).hexdigest()

    @property
    def rasa_channel_token(self) -> str:
        """What the gateway sends Rasa's REST channel in X-Medverk-Gateway-Token (F3)."""
        return hmac.new(self.secret_key.encode(), b"rasa-channel", hashlib.sha256).hexdigest()


def _retention_mode(env: Mapping[str, str]) -> Literal["anonymise", "delete"]:
    mode = _env(env, "MEDVERK_RETENTION_MODE", "anonymise")
    if mode not in ("anonymise", "delete"):
        raise ValueError(f"MEDVERK_RETENTION_MODE must be anonymise or delete, not {mode!r}")
    return mode  # type: ignore[return-value]


def load_settings(env: Mapping[str, str] = os.environ) -> Settings:
    """Read settings from `env` (the process environment unless given, e.g. a stack's own)."""
    var_dir = Path(_env(env, "MEDVERK_VAR_DIR", str(PROJECT_ROOT / "var")))
    malform = _env(env, "MEDVERK_DEFAULT_MALFORM", "nn")
    if malform not in ("nn", "nb"):
        raise ValueError(f"MEDVERK_DEFAULT_MALFORM must be nn or nb, not {malform!r}")
    case_malform = _env(env, "MEDVERK_CASE_MALFORM", malform)
    if case_malform not in ("nn", "nb"):
        raise ValueError(f"MEDVERK_CASE_MALFORM must be nn or nb, not {case_malform!r}")
    port = _env_int(env, "MEDVERK_PORT", 8080)
    secret = _secret_key(env, var_dir)
    return Settings(
        var_dir=var_dir,
        database_url=async_database_url(
            _env(env, "MEDVERK_DATABASE_URL", f"sqlite:///{var_dir / 'medverk.db'}")
        ),
        secret_key=secret,
        default_malform=malform,  # type: ignore[arg-type]
        case_malform=case_malform,  # type: ignore[arg-type]
        rasa_url=_env(env, "MEDVERK_RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
        action_server_url=_env(env, "MEDVERK_ACTION_SERVER_URL", "http://127.0.0.1:5055").rstrip(
            "/"
        ),
        host=_env(env, "MEDVERK_HOST", "0.0.0.0"),
        port=port,
        public_url=_env(env, "MEDVERK_PUBLIC_URL", f"http://127.0.0.1:{port}").rstrip("/"),
        case_source=_env(env, "MEDVERK_CASE_SOURCE", "file"),
        cases_dir=Path(_env(env, "MEDVERK_CASES_DIR", str(PROJECT_ROOT / "data" / "cases"))),
        knowledge_dir=Path(
            _env(env, "MEDVERK_KNOWLEDGE_DIR", str(PROJECT_ROOT / "data" / "knowledge"))
        ),
        einnsyn_api_url=_env(env, "EINNSYN_API_URL", "https://api.einnsyn.no").rstrip("/"),
        einnsyn_api_key=_env(env, "EINNSYN_API_KEY", ""),
        case_sync_interval_seconds=_env_int(env, "MEDVERK_CASE_SYNC_INTERVAL", 900),
        retention_days=_env_int(env, "MEDVERK_RETENTION_DAYS", 365),
        allowed_origins=_env_list(env, "MEDVERK_ALLOWED_ORIGINS"),
        contact_name=_env(env, "MEDVERK_CONTACT_NAME", ""),
        contact_email=_env(env, "MEDVERK_CONTACT_EMAIL", ""),
        contact_phone=_env(env, "MEDVERK_CONTACT_PHONE", ""),
        telegram_bot_token=_env(env, "TELEGRAM_BOT_TOKEN", ""),
        telegram_api_base_url=_env(env, "TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot"),
        telegram_webhook_url=_env(env, "TELEGRAM_WEBHOOK_URL", ""),
        # Telegram allows only A-Z, a-z, 0-9, _ and - here: hex of a keyed hash always fits.
        telegram_webhook_secret=_env(
            env,
            "TELEGRAM_WEBHOOK_SECRET",
            hmac.new(secret.encode(), b"telegram-webhook", hashlib.sha256).hexdigest()[:48],
        ),
        rasa_tracker_db=Path(
            _env(env, "MEDVERK_RASA_TRACKER_DB", str(var_dir / "rasa_tracker.db"))
        ),
        rasa_tracker_url=_env(env, "MEDVERK_RASA_TRACKER_URL", ""),
        retention_mode=_retention_mode(env),
        chat_limit_per_sender=_env_int(env, "MEDVERK_CHAT_LIMIT_PER_SENDER", 20),
        chat_limit_per_ip=_env_int(env, "MEDVERK_CHAT_LIMIT_PER_IP", 900),
        rasa_turns_in_flight=_env_int(env, "MEDVERK_RASA_TURNS_IN_FLIGHT", RASA_TURNS_IN_FLIGHT),
        trusted_proxy_hops=_env_int(env, "MEDVERK_TRUSTED_PROXY_HOPS", 0),
        metrics_token=_env(env, "MEDVERK_METRICS_TOKEN", ""),
    )
