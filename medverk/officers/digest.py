"""A daily or weekly e-mail to officers who opted in: new input per case.

Only counts, case numbers and titles and a link to the app go out; never a
citizen's text, contact or any other personal data. SMTP settings come from
the environment (MEDVERK_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM,
_STARTTLS=1). An officer opts in on the app's page /officer/digest (how often,
which committees and cases) or with the CLI. The gateway runs `send_due_digests`
every hour; an officer gets a digest when a day (or a week) has passed since the
last one, and only when something new came in. `medverk officer digest` runs it by hand.
"""

from __future__ import annotations

import asyncio
import os
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.officers.texts import OfficerTexts
from medverk.store import digest_repo
from medverk.store.models import OfficerDigest

__all__ = ["DigestResult", "SmtpSettings", "compose_digest", "send_due_digests"]

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
# A run a few minutes early (the hourly job drifts) still counts as due.
_SLACK = timedelta(minutes=10)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str = ""
    password: str = ""
    sender: str = "medverk@localhost"
    starttls: bool = False
    timeout: float = 20.0

    @classmethod
    def from_env(cls) -> SmtpSettings | None:
        """The environment's SMTP server, or None when MEDVERK_SMTP_HOST is unset."""
        host = os.environ.get("MEDVERK_SMTP_HOST", "").strip()
        if not host:
            return None
        starttls = os.environ.get("MEDVERK_SMTP_STARTTLS", "").strip().lower()
        return cls(
            host=host,
            port=int(os.environ.get("MEDVERK_SMTP_PORT", "").strip() or "25"),
            user=os.environ.get("MEDVERK_SMTP_USER", "").strip(),
            password=os.environ.get("MEDVERK_SMTP_PASSWORD", ""),
            sender=os.environ.get("MEDVERK_SMTP_FROM", "").strip() or "medverk@localhost",
            starttls=starttls in {"1", "true", "yes", "ja"},
        )


@dataclass(frozen=True)
class DigestResult:
    sent: int
    skipped: int


def compose_digest(
    texts: OfficerTexts,
    sub: OfficerDigest,
    cases: list[tuple[str, str, int]],
    *,
    since: datetime,
    public_url: str,
    sender: str,
    scopes: digest_repo.Scopes | None = None,
) -> EmailMessage:
    """The e-mail for one officer (plain text, in the officer's målform)."""
    m = sub.malform
    total = sum(n for _, _, n in cases)
    lines = [texts.ui("digest_intro", m, since=f"{since:%d.%m.%Y %H:%M} UTC"), ""]
    committees = [sub.committee] if sub.committee else []
    committees += list(scopes.committees) if scopes else []
    if scopes and scopes.cases:
        lines.insert(1, texts.ui("digest_cases_line", m, cases=", ".join(scopes.cases)))
    if committees:
        lines.insert(1, texts.ui("digest_committee", m, committee=", ".join(committees)))
    for ref, title, n in cases:
        lines.append("- " + texts.ui("digest_line", m, case_ref=ref, case_title=title, count=n))
    link = f"{public_url}/officer/inputs?status=new"
    lines += ["", texts.ui("digest_link", m, link=link), "", texts.ui("digest_footer", m)]
    msg = EmailMessage()
    msg["Subject"] = texts.ui(f"digest_subject_{sub.frequency}", m, count=total)
    msg["From"] = sender
    msg["To"] = sub.email
    msg.set_content("\n".join(lines))
    return msg


def _deliver(smtp: SmtpSettings, messages: list[EmailMessage]) -> None:
    with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
        if smtp.starttls:
            client.starttls()
        if smtp.user:
            client.login(smtp.user, smtp.password)
        for msg in messages:
            client.send_message(msg)


async def send_due_digests(
    session: AsyncSession,
    texts: OfficerTexts,
    smtp: SmtpSettings,
    *,
    public_url: str,
    now: datetime | None = None,
    force: bool = False,
) -> DigestResult:
    """Send every digest that is due (all of them with `force`); returns the counts."""
    now = now or utcnow()
    sent = skipped = 0
    for sub in await digest_repo.digest_subscribers(session):
        period = PERIODS.get(sub.frequency, PERIODS["daily"])
        last = sub.last_sent_at
        since = last or now - period
        if not force and last is not None and now - since < period - _SLACK:
            skipped += 1
            continue
        scopes = await digest_repo.scopes_of(session, sub.officer_id)
        cases = await digest_repo.new_input_per_case(session, since, sub.committee, scopes)
        if not cases:
            skipped += 1
            continue
        msg = compose_digest(
            texts,
            sub,
            cases,
            since=since,
            public_url=public_url,
            sender=smtp.sender,
            scopes=scopes,
        )
        await asyncio.to_thread(_deliver, smtp, [msg])
        await digest_repo.mark_sent(session, sub.officer_id, now)
        sent += 1
    return DigestResult(sent=sent, skipped=skipped)
