"""Case data: sources (eInnsyn-shaped files, the eInnsyn API), sync into the store, search.

`records` holds the source-neutral records, `einnsyn_format` turns eInnsyn
JSON into them, `sources`/`einnsyn` fetch, `sync` stores, `search` finds a
case from what a user wrote, `terms` makes Nynorsk and Bokmål words meet.
"""
