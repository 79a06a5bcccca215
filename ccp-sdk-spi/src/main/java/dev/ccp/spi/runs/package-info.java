/**
 * Runs: the steps a coding tool proposes in a git workspace (file changes, commands, notes), and
 * the one check every step goes through against the org's policy before anything happens, the same
 * in the SDK, the CLI and the server; and the {@link dev.ccp.spi.runs.Approver} plug point through
 * which someone on the machine decides a step that waits.
 */
package dev.ccp.spi.runs;
