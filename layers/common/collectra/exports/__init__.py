"""Exports: everything Collectra holds about a user (and, for an owner or admin, their workspace), as
one archive they can download (access and portability)."""
