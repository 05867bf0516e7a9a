"""Letters: templates, the reportlab renderer, and the record of every letter generated."""
