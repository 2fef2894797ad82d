"""Plain-text cleaning: the article body with exact offsets back into the raw text."""

from storyline.clean.text import clean_text

__all__ = ["clean_text"]
