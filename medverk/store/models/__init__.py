"""All tables. Each area owns one module; importing this package registers all."""

from medverk.store.base import Base
from medverk.store.models.cases import AgendaItem, CaseSyncRun, CaseTranslation, Meeting
from medverk.store.models.channels import ChannelAddress, OutboundMessage
from medverk.store.models.inputs import Input
from medverk.store.models.officers import (
    AuditEvent,
    Officer,
    OfficerDigest,
    OfficerDigestScope,
    OfficerSession,
)
from medverk.store.models.replies import ChatReply, HeldTelegramMessage
from medverk.store.models.report import ReportJunkWord, ReportSummary
from medverk.store.models.settings import AdminSetting
from medverk.store.models.workflow import InputNote, InputTag

__all__ = [
    "AdminSetting",
    "AgendaItem",
    "AuditEvent",
    "Base",
    "CaseSyncRun",
    "CaseTranslation",
    "ChannelAddress",
    "ChatReply",
    "HeldTelegramMessage",
    "Input",
    "InputNote",
    "InputTag",
    "Meeting",
    "Officer",
    "OfficerDigest",
    "OfficerDigestScope",
    "OfficerSession",
    "OutboundMessage",
    "ReportJunkWord",
    "ReportSummary",
]
