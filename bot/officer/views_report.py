"""The per-case report for elected officials (printable), and the list of cases."""

from __future__ import annotations

from aiohttp import web
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keys import SESSIONMAKER
from bot.officer.auth import current, officer_page
from bot.officer.chart import stacked_bars
from bot.officer.keys import LEMMATISER
from bot.officer.render import malform_of, page, texts_of, ui
from medverk.clock import today
from medverk.officers.report import DIMENSIONS, NO_VALUE, CaseReport, build_report
from medverk.store import officer_repo, report_repo, workflow_repo

__all__ = ["print_css", "render_report", "report"]

_DIMENSION_LABEL = {"age_group": "age_group", "malform": "malform", "channel": "channel"}


def _value_labels(request: web.Request, dimension: str, values: list[str]) -> dict[str, str]:
    texts, malform = texts_of(request), malform_of(request)
    labels = {}
    for value in values:
        if value == NO_VALUE:
            labels[value] = texts.ui("no_age_group", malform)
        elif dimension in ("malform", "channel"):
            key = f"{dimension}_{value}"
            labels[value] = texts.ui(key, malform) if key in texts.ui_texts else value
        else:
            labels[value] = value
    return labels


def _week_label(request: web.Request, monday: object) -> str:
    iso = monday.isocalendar()  # type: ignore[attr-defined]
    return texts_of(request).ui("week_label", malform_of(request), week=f"{iso[1]}/{iso[0]}")


def _charts(request: web.Request, data: CaseReport) -> list[dict[str, object]]:
    texts, malform = texts_of(request), malform_of(request)
    periods = [_week_label(request, monday) for monday in data.weeks]
    # Short labels ("v. 49") under the bars; the tooltips and the table have the full ones.
    short_periods = [
        texts.ui("week_short", malform, week=monday.isocalendar()[1]) for monday in data.weeks
    ]
    charts: list[dict[str, object]] = []
    for dimension in DIMENSIONS:
        name = texts.ui(_DIMENSION_LABEL[dimension], malform)
        series = data.series[dimension]
        labels = _value_labels(request, dimension, list(series))
        title = texts.ui("chart_title", malform, dimension=name.lower())
        charts.append(
            {
                "dimension": dimension,
                "heading": texts.ui(f"by_{dimension}", malform),
                "svg": Markup(  # noqa: S704 - stacked_bars escapes every text it embeds
                    stacked_bars(
                        chart_id=f"chart-{dimension}",
                        title=title,
                        description=texts.ui("chart_table_note", malform),
                        periods=periods,
                        series=series,
                        series_labels=labels,
                        axis_labels=short_periods,
                        x_title=texts.ui("period", malform),
                        y_title=texts.ui("chart_y_title", malform),
                    )
                ),
                "labels": labels,
                "totals": data.totals[dimension],
                "series": series,
            }
        )
    return charts


_NOTICES = {
    "word_removed": "report_word_removed",
    "word_restored": "report_word_restored",
    "summary_saved": "report_summary_saved",
    "summary_removed": "report_summary_removed",
}


def _notice(request: web.Request) -> tuple[str, str]:
    """(notice, word to offer back) after a change on the report."""
    done = request.query.get("done", "")
    word = request.query.get("word", "")[:60]
    if done not in _NOTICES:
        return "", ""
    return ui(request, _NOTICES[done], word=word), word if done == "word_removed" else ""


async def render_report(
    request: web.Request,
    db: AsyncSession,
    case_ref: str,
    *,
    summary_draft: str | None = None,
    summary_error: str = "",
    status: int = 200,
) -> web.Response:
    """One case's report page (audited), or 404 when the case is unknown."""
    data = await build_report(
        db, case_ref, request.config_dict[LEMMATISER], texts_of(request).stop_words
    )
    if data is None:
        raise web.HTTPNotFound()
    tag_counts = await workflow_repo.tag_counts(db, case_ref)
    summary = await report_repo.get_summary(db, case_ref)
    await officer_repo.add_audit_event(
        db,
        officer=current(request).officer,
        action="view_report",
        target=f"case:{case_ref}",
        detail=f"inputs={data.total}",
    )
    notice, undo_word = _notice(request)
    periods = [_week_label(request, monday) for monday in data.weeks]
    return page(
        request,
        "report.html",
        {
            "report": data,
            "charts": _charts(request, data),
            "periods": periods,
            "tag_counts": tag_counts,
            "made": today().strftime("%d.%m.%Y"),
            "summary": summary,
            "summary_text": summary.text if summary and summary_draft is None else summary_draft,
            "summary_error": summary_error,
            "notice": notice,
            "undo_word": undo_word,
        },
        status=status,
    )


@officer_page
async def report(request: web.Request) -> web.Response:
    """GET /officer/report[?case=24/1187]: the case list, or one case's report."""
    case_ref = request.query.get("case", "").strip()[:20]
    async with request.config_dict[SESSIONMAKER].begin() as db:
        if not case_ref:
            words = request.query.get("q", "").strip()[:100]
            cases = await workflow_repo.case_counts(db, words)
            return page(request, "reports.html", {"cases": cases, "q": words})
        return await render_report(request, db, case_ref)


def _css_string(text: str) -> str:
    """`text` as a CSS string: every character but letters, digits and spaces escaped."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in text) + '"'


@officer_page
async def print_css(request: web.Request) -> web.Response:
    """GET /officer/report/print.css?case=…: the case number and title in the bottom
    left margin of every printed page (CSS cannot read them from the page)."""
    case_ref = request.query.get("case", "").strip()[:20]
    async with request.config_dict[SESSIONMAKER]() as db:
        if not case_ref or not await report_repo.case_exists(db, case_ref):
            raise web.HTTPNotFound()
        title = await report_repo.case_title(db, case_ref)
    footer = ui(request, "report_title", case_ref=case_ref) + (f" – {title}" if title else "")
    css = (
        "@page { @bottom-left { content: "
        f"{_css_string(footer[:120])}; font-size: 9pt; color: #444; }} }}\n"
    )
    return web.Response(text=css, content_type="text/css", headers={"Cache-Control": "no-store"})
