"""Helpers the tests share: HTTP API v2 events, cookie parsing, and calling a route's handler."""
