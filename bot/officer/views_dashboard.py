"""Dashboards: GET /officer/dashboard[?committee=…&weeks=…] (overall or one committee)."""

from __future__ import annotations

from aiohttp import web
from markupsafe import Markup

from bot.keys import SESSIONMAKER
from bot.officer.auth import officer_page
from bot.officer.chart import stacked_bars
from bot.officer.render import page, ui
from medverk.officers.dashboard import DEFAULT_WEEKS, MAX_WEEKS, Dashboard, build_dashboard
from medverk.store import dashboard_repo

__all__ = ["dashboard", "duration"]

WEEK_CHOICES = (4, 12, 26, 52)


def duration(request: web.Request, hours: float | None, *, long: bool = False) -> str:
    """A median time to answer: hours under two days, else days (none: a dash)."""
    suffix = "_long" if long else ""
    if hours is None:
        return ui(request, "duration_none")
    if hours < 48:
        return ui(request, "duration_hours" + suffix, count=max(1, round(hours)) if hours else 0)
    return ui(request, "duration_days" + suffix, count=round(hours / 24))


def _chart(request: web.Request, data: Dashboard) -> Markup:
    # Short labels ("v. 49") so they fit under the bars; tooltips and table have the full ones.
    short = [ui(request, "week_short", week=w.monday.isocalendar()[1]) for w in data.weeks]
    periods = [
        ui(request, "week_label", week=f"{w.monday.isocalendar()[1]}/{w.monday.isocalendar()[0]}")
        for w in data.weeks
    ]
    return Markup(  # noqa: S704 - stacked_bars escapes every text it embeds
        stacked_bars(
            chart_id="chart-weeks",
            title=ui(request, "dashboard_chart_title"),
            description=ui(request, "dashboard_week_note", weeks=len(data.weeks)),
            periods=periods,
            series={
                "answered": [w.answered for w in data.weeks],
                "other": [w.total - w.answered for w in data.weeks],
            },
            series_labels={
                "answered": ui(request, "dashboard_answered"),
                "other": ui(request, "dashboard_not_answered"),
            },
            axis_labels=short,
            x_title=ui(request, "period"),
            y_title=ui(request, "chart_y_title"),
        )
    )


def _weeks(raw: str) -> int:
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_WEEKS else DEFAULT_WEEKS


@officer_page
async def dashboard(request: web.Request) -> web.Response:
    """The overall dashboard, or one committee's."""
    committee = request.query.get("committee", "")[:200]
    weeks = _weeks(request.query.get("weeks", ""))
    async with request.config_dict[SESSIONMAKER]() as db:
        names = await dashboard_repo.committees(db)
        if committee and committee not in names:
            raise web.HTTPNotFound()
        data = await build_dashboard(db, committee, weeks=weeks)
    periods = [
        ui(request, "week_label", week=f"{w.monday.isocalendar()[1]}/{w.monday.isocalendar()[0]}")
        for w in data.weeks
    ]
    return page(
        request,
        "dashboard.html",
        {
            "data": data,
            "committee": committee,
            "committees": names,
            "weeks": weeks,
            "week_choices": sorted({*WEEK_CHOICES, weeks}),
            "periods": periods,
            "chart": _chart(request, data) if data.overall.total else "",
            "duration": lambda hours, long=False: duration(request, hours, long=long),
        },
    )
