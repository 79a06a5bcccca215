/**
 * A small third-party tool that embeds the CCP SDK: it logs in with the device flow, checks the
 * {@code zai_offload} entitlement offline and prints its license status. It is built by the reactor
 * and run by the server's end-to-end tests.
 */
package dev.ccp.examples;
