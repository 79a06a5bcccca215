/**
 * Usage telemetry in its minimized shape: the only thing that leaves a user's machine is one row per
 * (UTC hour, model) of counts, token sums and a latency histogram with fixed buckets. No prompts,
 * paths, code or free text; a model id must match {@link dev.ccp.spi.usage.ModelId#PATTERN}.
 */
package dev.ccp.spi.usage;
