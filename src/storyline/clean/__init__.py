"""Plain-text cleaning: the article body with exact offsets back into the raw text."""

from storyline.clean.lines import normalise_line
from storyline.clean.metadata import date_from_url, dateline_date
from storyline.clean.recurring import recurring_lines
from storyline.clean.text import clean_text

__all__ = ["clean_text", "date_from_url", "dateline_date", "normalise_line", "recurring_lines"]
