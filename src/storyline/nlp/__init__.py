"""One spaCy parse per document, read by every extractor (entities, dates, quotes, events)."""
