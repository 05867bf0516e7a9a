"""Exports for audit and record keeping: the case register (CSV, .xlsx), a case's full
record (PDF, JSON) and the Reports window's figures (CSV). Long exports take a progress
callback and stop cleanly when cancelled, leaving no partial file behind."""
