"""Collectra's domain and plumbing, shared by every Lambda function through the common layer."""
