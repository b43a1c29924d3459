"""Fetching: HTTP client with SSRF guard, feed/page/folder readers, scheduling."""
