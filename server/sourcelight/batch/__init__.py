"""``sourcelight batch``: annotate a corpus (files, folders, globs, gzipped pages, WARC and JSONL
inputs) into JSONL or CSV, on this machine's cores (:mod:`.run`) or on a Dask cluster
(:mod:`.dask`).

One concern per module: :mod:`.inputs` turns what the user named into pages, :mod:`.output`
turns results into lines and writes them safely, :mod:`.run` drives the local worker pool,
:mod:`.progress` reports, :mod:`.dask` distributes.
"""
