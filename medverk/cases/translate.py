"""Machine translation of case texts between Nynorsk and Bokmål with Apertium.

Runs at sync time only (never while answering): `ApertiumTranslator` pipes a
batch of texts through one `apertium` process per chunk, in the modes the
replies need: `nno-nob` (Nynorsk → Bokmål) and `nob-nno_e` (Bokmål → the
e-infinitive Nynorsk the replies use). Needs the Debian packages `apertium`
and `apertium-nno-nob` (`make apertium-deps`). Any failure raises
`TranslationError`; the sync then keeps the original and marks it.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from medverk.cases.translation_fixes import TranslationFixes, load_translation_fixes
from medverk.settings import Malform

__all__ = ["MODES", "ApertiumTranslator", "TranslationError", "Translator", "case_translator"]

MODES: dict[tuple[Malform, Malform], str] = {("nn", "nb"): "nno-nob", ("nb", "nn"): "nob-nno_e"}

# A line of its own between texts; Apertium passes it through untouched.
_MARK = "[[{}]]"
_MARK_LINE = re.compile(r"^\[\[(\d+)\]\]$")
# Apertium's marks for words it could not generate (#) or transfer (@).
_ERROR_MARK = re.compile(r"(?<![\w#@])[#@](?=\w)")


class TranslationError(RuntimeError):
    """The translator is missing, failed, timed out or gave back a broken batch."""


class Translator(Protocol):
    """Translates texts from one målform into the other, in order."""

    name: str

    async def translate(self, texts: Sequence[str], source: Malform, target: Malform) -> list[str]:
        """One translation per text; raises `TranslationError`."""
        ...


class ApertiumTranslator:
    """Apertium as a subprocess, `chunk` texts per call, `timeout` seconds per call."""

    def __init__(
        self,
        command: str = "apertium",
        *,
        timeout: float = 120.0,
        chunk: int = 400,
        fixes: TranslationFixes | None = None,
    ) -> None:
        self.command = command
        self.timeout = timeout
        self.chunk = chunk
        self.fixes = fixes
        # The fixes are part of what a stored translation depends on.
        self.name = f"apertium+fixes-{fixes.fingerprint}" if fixes else "apertium"

    def mode(self, source: Malform, target: Malform) -> str:
        try:
            return MODES[(source, target)]
        except KeyError:
            raise TranslationError(f"no Apertium mode from {source} to {target}") from None

    async def translate(self, texts: Sequence[str], source: Malform, target: Malform) -> list[str]:
        mode = self.mode(source, target)
        if shutil.which(self.command) is None:
            raise TranslationError(f"{self.command} is not installed")
        translated: list[str] = []
        for start in range(0, len(texts), self.chunk):
            translated.extend(await self._run(mode, list(texts[start : start + self.chunk])))
        if self.fixes is not None:
            translated = [self.fixes.apply(text, source, target) for text in translated]
        return translated

    async def _run(self, mode: str, texts: list[str]) -> list[str]:
        # Texts are one line each (the sync collapses whitespace); a mark line parts them.
        body = "\n\n".join(
            f"{_MARK.format(i)}\n\n{' '.join(t.split())}" for i, t in enumerate(texts)
        )
        try:
            process = await asyncio.create_subprocess_exec(
                self.command,
                "-u",
                mode,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
        except OSError as exc:
            raise TranslationError(f"{self.command} could not start: {exc}") from exc
        try:
            out, err = await asyncio.wait_for(
                process.communicate(body.encode("utf-8")), timeout=self.timeout
            )
        except asyncio.TimeoutError as exc:
            await _stop(process)
            raise TranslationError(f"{self.command} {mode} timed out") from exc
        except asyncio.CancelledError:
            # The sync was cancelled (the gateway shutting down): no Apertium left running,
            # and its pipes closed before the event loop is (else they leak past it).
            await _stop(process)
            raise
        if process.returncode != 0:
            message = err.decode("utf-8", "replace").strip()[:300]
            raise TranslationError(
                f"{self.command} {mode} failed ({process.returncode}): {message}"
            )
        return _split(out.decode("utf-8", "replace"), len(texts))


def case_translator(cases_dir: Path) -> ApertiumTranslator:
    """Apertium with the municipality's fixes from `cases_dir` (the one the sync uses)."""
    return ApertiumTranslator(fixes=load_translation_fixes(cases_dir))


async def _stop(process: asyncio.subprocess.Process) -> None:
    """Kill the process, read its pipes to the end and reap it."""
    with contextlib.suppress(ProcessLookupError):
        process.kill()
    await process.communicate()


def _split(output: str, expected: int) -> list[str]:
    parts: dict[int, list[str]] = {}
    current: int | None = None
    for line in output.splitlines():
        found = _MARK_LINE.match(line.strip())
        if found:
            current = int(found.group(1))
            parts[current] = []
        elif current is not None and line.strip():
            parts[current].append(line.strip())
    if sorted(parts) != list(range(expected)):
        raise TranslationError(f"Apertium returned {len(parts)} of {expected} texts")
    return [_ERROR_MARK.sub("", " ".join(parts[i])) for i in range(expected)]
