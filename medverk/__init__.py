"""Medverk: a participation assistant for Norwegian municipalities.

This package holds the domain core shared by the gateway (`bot/`) and the
action server (`actions/`): settings, the store, case data and texts.
"""
