/**
 * The audit log: every change to an org, appended in the change's own transaction to a hash chain
 * per org ({@link dev.ccp.spi.audit.AuditChain}) that anyone can check offline. Features call
 * {@link dev.ccp.server.audit.control.AuditLog}; the log depends on no feature.
 */
package dev.ccp.server.audit;
