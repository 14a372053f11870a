"""Attribution: who said, reported, claimed what in an article, typed and grouped by source.

``find_attributions(text, lang)`` finds the spans; ``group_sources`` types and groups the
sources into entities; ``classify_links`` ties cited links to them. Lexicons are data files in
``lexicons/<lang>/``, compiled once.
"""
