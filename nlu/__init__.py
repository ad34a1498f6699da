"""Medverk's Norwegian language tools: spaCy pipeline and custom Rasa NLU components.

`nlu.norwegian` imports without Rasa (the app env uses it for lemmas); the Rasa
components (`nlu.malform`, `nlu.tokenizer`, `nlu.entities`) need the rasa env.
"""
