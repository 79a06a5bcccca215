package dev.ccp.cli;

import dev.ccp.sdk.CcpException;
import dev.ccp.spi.license.LicenseStatus;

/**
 * The one mapping from what went wrong to the process's exit code. The codes are a public contract
 * (scripts branch on them): they are listed in {@code ccp --help} and in the README, and only ever added to.
 */
final class ExitCodes {

    static final int OK = 0;
    static final int UNEXPECTED = 1;
    static final int USAGE = 2;
    static final int NOT_LOGGED_IN = 3;
    static final int LICENSE_INVALID = 4;
    static final int UNREACHABLE = 5;
    static final int FORBIDDEN = 6;
    static final int LOGIN_FAILED = 7;
    static final int KEY_CHANGED = 8;
    /** The server refused the request, or an input file (such as {@code ccp db import}'s) is invalid. */
    static final int REFUSED = 9;
    /** A policy pack did not verify, or is older than, or not for, the one in force. */
    static final int POLICY_INVALID = 10;
    /** An audit log export does not verify: an entry was changed, removed or reordered. */
    static final int AUDIT_INVALID = 11;
    /** A run ended failed: a step was denied by the policy, or failed when it was carried out. */
    static final int RUN_FAILED = 12;
    /** A runner's token was revoked, or the server does not know it ({@code ccp runner start}). */
    static final int RUNNER_REVOKED = 13;

    /** The table shown at the end of {@code ccp --help}. */
    static final String[] HELP = {
        "",
        "Exit codes:",
        "  0  ok",
        "  1  unexpected error",
        "  2  usage error",
        "  3  not logged in, or the session was revoked or expired: run `ccp login`",
        "  4  license not valid: expired, tampered, unknown key, clock rollback, no seat",
        "  5  server unreachable or failing: try again later",
        "  6  forbidden: not permitted in this org, or not on this plan",
        "  7  login denied, or the code expired before it was approved",
        "  8  the server's license keys changed since they were pinned",
        "  9  the server refused the request: not found, conflict, invalid, rate limited;",
        "     or an input file is invalid (ccp db import): nothing was changed",
        " 10  a policy pack was refused: tampered, unknown key, another org's or channel's,",
        "     older than the one in force, or expired",
        " 11  an audit log export does not verify (ccp audit verify): an entry was changed,",
        "     removed or reordered",
        " 12  a run failed (ccp run): a step was denied by the policy, or failed when it",
        "     was carried out",
        " 13  this runner's token was revoked or is unknown (ccp runner start): register",
        "     the runner again with `ccp runner register`",
    };

    private ExitCodes() {
    }

    static int of(CcpException.Kind kind) {
        return switch (kind) {
            case NOT_LOGGED_IN, UNAUTHORIZED -> NOT_LOGGED_IN;
            case LICENSE_INVALID -> LICENSE_INVALID;
            case POLICY_INVALID -> POLICY_INVALID;
            case SERVER_UNREACHABLE, SERVER_UNAVAILABLE, SERVER_ERROR -> UNREACHABLE;
            case FORBIDDEN, PAYMENT_REQUIRED -> FORBIDDEN;
            case LOGIN_DENIED, LOGIN_EXPIRED -> LOGIN_FAILED;
            case KEY_CHANGED -> KEY_CHANGED;
            case NOT_FOUND, CONFLICT, BAD_REQUEST, RATE_LIMITED -> REFUSED;
            case IO -> UNEXPECTED;
        };
    }

    static int of(LicenseStatus status) {
        return switch (status) {
            case VALID, GRACE -> OK;
            // Not being logged in is caught before a license is looked at: here no pack means no seat.
            case MISSING, EXPIRED, NOT_YET_VALID, BAD_SIGNATURE, UNKNOWN_KEY, CLOCK_ROLLBACK, MALFORMED -> LICENSE_INVALID;
        };
    }
}
