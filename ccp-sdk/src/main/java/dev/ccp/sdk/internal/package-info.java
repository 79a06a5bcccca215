/**
 * The SDK's workings, not exported: HTTP calls to the server, the device flow, token renewal, key
 * pins and the files under the SDK's home, all written through {@link dev.ccp.sdk.internal.AtomicFiles}.
 * Public types here are public only so that {@code dev.ccp.sdk} can reach them; the module keeps
 * them from everyone else.
 *
 * <p>Usage lives in {@link dev.ccp.sdk.internal.UsageEngine}: a {@link dev.ccp.sdk.internal.Recorder}
 * buffers events and writes them in batches, {@link dev.ccp.sdk.internal.RollupExporter} sends the
 * changed hourly rollups with {@link dev.ccp.sdk.internal.Backoff} deciding the retries. The default
 * store, {@link dev.ccp.sdk.internal.H2UsageStore}, is embedded H2 because it is pure Java (no native
 * library to ship per platform), keeps one ACID file that survives a crash mid-write, and is the engine
 * the reference server runs on by default, so one SQL dialect serves both ends.
 */
package dev.ccp.sdk.internal;
