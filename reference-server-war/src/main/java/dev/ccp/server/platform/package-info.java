/**
 * What every feature stands on: configuration from the environment, the database (connection pool,
 * Flyway migrations, the JPA unit), transactions, problem+json errors, JSON, HTML templates, ids and
 * secrets, and the database-backed rate limiter.
 */
package dev.ccp.server.platform;
