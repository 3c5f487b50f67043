"""Benchmarks that print figures (`make bench`); they are not tests and assert nothing."""
