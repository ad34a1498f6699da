"""The bot inside the gateway: start-up, commands, webhook, errors (no Rasa needed)."""

from __future__ import annotations

import dataclasses

from aiohttp import ClientSession
from conftest import gateway_app, running_gateway
from tg_bot_api_standin import BotApiStandIn

from bot.telegram import TELEGRAM
from bot.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from medverk.settings import Settings


def test_without_a_token_nothing_is_added(base_settings: Settings) -> None:
    """No TELEGRAM_BOT_TOKEN: no bot, no webhook route, the gateway runs as before."""
    app = gateway_app(dataclasses.replace(base_settings, telegram_bot_token=""))
    assert TELEGRAM not in app
    assert all(
        r.resource is None or r.resource.canonical != WEBHOOK_PATH for r in app.router.routes()
    )


async def test_polling_mode_registers_commands_in_both_malformer(
    base_settings: Settings, bot_api: BotApiStandIn
) -> None:
    """Start-up: getMe, commands per language (default, nn, nb, no), then long polling."""
    async with running_gateway(base_settings):
        await bot_api.wait_until(lambda: bool(bot_api.calls_to("deleteWebhook")))
    menus = {c.params.get("language_code", "default"): c for c in bot_api.calls_to("setMyCommands")}
    assert set(menus) == {"default", "nn", "nb", "no"}
    nn = {c["command"]: c["description"] for c in menus["nn"].params["commands"]}
    nb = {c["command"]: c["description"] for c in menus["nb"].params["commands"]}
    assert set(nn) == {"start", "hjelp", "nynorsk", "bokmal", "slett"}
    assert nn["slett"] == "Slett det eg har lagra om deg"
    assert nb["slett"] == "Slett det jeg har lagret om deg"
    assert menus["default"].params["commands"] == menus["nn"].params["commands"]


async def test_rasa_down_gets_a_kind_answer_in_the_users_malform(
    base_settings: Settings, bot_api: BotApiStandIn
) -> None:
    """The central error handler tells the chat, in Bokmål for a Bokmål app, to retry."""
    async with running_gateway(base_settings):
        await bot_api.send(501, "hei", language_code="nb")
        [reply] = await bot_api.replies(501, after=0)
    assert reply.params["text"].startswith("Jeg får ikke svart akkurat nå")


async def test_webhook_mode_sets_the_webhook_and_checks_the_secret(
    base_settings: Settings, bot_api: BotApiStandIn
) -> None:
    """setWebhook with our secret; a wrong or missing secret is refused with 403."""
    settings = dataclasses.replace(
        base_settings,
        telegram_webhook_url="https://medverk.example/telegram/webhook",
        telegram_webhook_secret="right_secret-123",
    )
    async with running_gateway(settings) as (server, _app):
        assert bot_api.webhook is not None
        assert bot_api.webhook["url"] == "https://medverk.example/telegram/webhook"
        assert bot_api.webhook["secret_token"] == "right_secret-123"
        assert not bot_api.calls_to("getUpdates")
        url = str(server.make_url(WEBHOOK_PATH))
        update = bot_api.build_message(502, "hei", language_code="nn")
        update["update_id"] = 1
        async with ClientSession() as http:
            for headers in ({SECRET_HEADER: "wrong"}, {}, {SECRET_HEADER: "right_secret-12"}):
                async with http.post(url, json=update, headers=headers) as response:
                    assert response.status == 403
            assert not bot_api.calls_to("sendMessage", 502)
            right = {SECRET_HEADER: "right_secret-123"}
            async with http.post(url, json=update, headers=right) as response:
                assert response.status == 200
            for bad in (b"{", b'{"message": {"text": 1}}'):
                async with http.post(url, data=bad, headers=right) as response:
                    assert response.status == 400
        [reply] = await bot_api.replies(502, after=0)
    assert reply.params["text"].startswith("Eg får ikkje svara akkurat no")
