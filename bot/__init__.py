"""The gateway: the only public door (web widget API, Telegram, officer app, health)."""
