/**
 * The database: the connection pool, Flyway migrations and the JPA unit ({@link Database}), and
 * transactions with their retry on conflict ({@link Tx}).
 */
package dev.ccp.server.platform.database;
