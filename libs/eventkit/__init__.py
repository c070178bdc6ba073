"""Plumbing every service uses: settings, logging, Mongo and Kafka factories, outbox relay,
idempotent consumers with bounded retry and dead letters, auth and health endpoints."""
