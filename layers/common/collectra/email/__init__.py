"""Sending email through Brevo's transactional API."""
