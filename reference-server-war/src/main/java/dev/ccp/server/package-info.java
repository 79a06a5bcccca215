/**
 * The CCP reference server, cut by feature: each feature package has a {@code boundary} (thin JAX-RS
 * resources that start transactions), a {@code control} (the rules, plain Java, testable without a
 * container) and an {@code entity} (JPA entities, never put on the wire).
 */
package dev.ccp.server;
