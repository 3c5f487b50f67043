"""Collectra's domain and plumbing, shared by every Lambda function through the common layer."""

import gc

# Garbage collection is off while a function starts: importing and building what a handler needs allocates
# hundreds of thousands of long-lived objects, and each collection pass over them is wasted work (about 0.13x
# `import boto3` of every cold start, docs/decisions.md). A handler imports collectra before any other package
# (functions/ruff.toml orders them so); collectra.observability.entry turns collection back on, with what the
# start allocated frozen out of it, when the first invocation is done.
gc.disable()
