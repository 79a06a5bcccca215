/**
 * What every feature stands on, by kind: configuration from the environment ({@link ServerConfig}),
 * ids and secrets ({@link Ids}), files written atomically, and the subpackages for the database,
 * HTTP, pages and rate limits. The composition root that wires the features is
 * {@link dev.ccp.server.Controls}.
 */
package dev.ccp.server.platform;
