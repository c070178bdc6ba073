"""Helpers the tests share: real HTTP servers for our apps, tokens."""
