"""Code that runs inside the Rasa engine (`.venv/rasa`): only the stdlib and Rasa."""
