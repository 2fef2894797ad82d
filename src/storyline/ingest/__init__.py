"""Readers: files of any supported format → RawRecord (or IngestError, one per bad file/record)."""
