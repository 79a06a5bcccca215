/**
 * The GitHub reviewer bot: a GitHub App whose deliveries are verified and queued as jobs in the
 * database, and whose jobs review a pull request's files with the connected org's prod policy
 * through one check run per head commit and at most one review per push, within a write budget per
 * installation shared by every node.
 */
package dev.ccp.server.github;
