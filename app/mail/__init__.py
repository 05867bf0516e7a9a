"""Email out: the SMTP settings, the letter email, sending it, and saving it as a draft."""
