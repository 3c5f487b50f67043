"""HTTP plumbing shared by every handler: resolver set-up, error mapping, cookies, CSRF, authentication."""
