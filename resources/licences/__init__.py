"""Licence texts the notices need that the packages themselves do not carry (Qt's LGPL and
the GPL it builds on, ICU's licence), read by app.notices."""
