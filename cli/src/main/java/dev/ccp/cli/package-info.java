/**
 * {@code ccp}, the command-line tool: one small picocli command per subcommand, each only calling
 * the SDK, one mapping from failures to documented exit codes ({@link dev.ccp.cli.ExitCodes}) and one
 * line on stderr per failure ({@link dev.ccp.cli.Failures}). {@link dev.ccp.cli.Main#run} takes its
 * streams and environment as parameters so tests run it in-process.
 */
package dev.ccp.cli;
