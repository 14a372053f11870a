"""Extraction stages: decode → parse → metadata → prune → find article → text and language."""
