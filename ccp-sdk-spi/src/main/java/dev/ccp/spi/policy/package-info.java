/**
 * Policy packs: the {@code ccp.policy/v1} document a host tool enforces, and the one codec the server
 * signs packs with and the SDK verifies them with. A pack binds org, channel, version, issue time and
 * expiry to the document under one Ed25519 signature, so a pack cannot be moved to another org or
 * channel, and a copy that stops being refreshed expires.
 */
package dev.ccp.spi.policy;
