"""The library of saved articles: a SQLite (WAL) + FTS5 database in the user's data directory.

``schema`` (versioned migrations), ``entries`` (an entry built from a /v1/clean answer),
``store`` (connections and one transaction per save or delete), ``search`` (full text,
filters, "where else was this source quoted"), ``export`` (JSONL, CSV, Markdown), ``api``
(the /v1/library blueprint) and ``cli`` (``sourcelight library …``).
"""
