package dev.ccp.cli;

/** A failure the CLI itself detects (no server given, a bad URL): its exit code and its one line. */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliException(int exitCode, String line) {
        super(line);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
