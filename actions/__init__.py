"""Custom actions for the Rasa engine (rasa-sdk action server), one module per area."""
