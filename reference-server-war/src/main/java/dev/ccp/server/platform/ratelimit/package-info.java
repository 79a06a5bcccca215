/** Rate limits kept in the database, so that every node counts against the same windows. */
package dev.ccp.server.platform.ratelimit;
