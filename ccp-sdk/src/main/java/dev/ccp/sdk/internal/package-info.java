/**
 * The SDK's workings, not exported: HTTP calls to the server, the device flow, token renewal, key
 * pins and the files under the SDK's home, all written through {@link dev.ccp.sdk.internal.AtomicFiles}.
 * Public types here are public only so that {@code dev.ccp.sdk} can reach them; the module keeps
 * them from everyone else.
 */
package dev.ccp.sdk.internal;
