/**
 * The SDK's API: {@link dev.ccp.sdk.CcpClient} built by {@link dev.ccp.sdk.CcpClientBuilder}, the
 * {@link dev.ccp.sdk.License} value it verifies offline, the login callbacks and options, usage
 * ({@link dev.ccp.sdk.Usage}: recording, {@link dev.ccp.sdk.Quota quotas}, export of hourly rollups,
 * the local store and its {@link dev.ccp.sdk.UsageLines JSON Lines} form), runs ({@link dev.ccp.sdk.Runs}:
 * a {@link dev.ccp.sdk.Run} started here, or claimed from the server by a {@link dev.ccp.sdk.Runner}), and the one
 * {@link dev.ccp.sdk.CcpException} whose {@link dev.ccp.sdk.CcpException.Kind} tells callers what went
 * wrong. Everything else lives in {@code dev.ccp.sdk.internal}, which the module does not export.
 */
package dev.ccp.sdk;
