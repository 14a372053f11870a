"""Sourcelight: a web page in, its clean article (and its sources) out."""

__version__ = "0.1.0"
NAME = "sourcelight"
