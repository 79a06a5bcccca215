package dev.ccp.cli;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.License;
import dev.ccp.spi.wire.Problem;

/** The one line printed to stderr for each failure: what went wrong, then what to do about it. */
final class Failures {

    private Failures() {
    }

    static String line(CcpException e) {
        String what = e.getMessage();
        String todo = switch (e.kind()) {
            case NOT_LOGGED_IN -> "run `ccp login`";
            case UNAUTHORIZED -> "run `ccp login` again";
            case SERVER_UNREACHABLE -> "check the network and the server URL, then try again";
            case SERVER_ERROR -> "try again later";
            case SERVER_UNAVAILABLE -> "the server is not serving right now; try again in a moment";
            // A plan that keeps usage local is not something an admin can lift; the detail names the plan that sends it.
            case FORBIDDEN -> e.problem().filter(p -> "privacy-tier".equals(p.slug())).isPresent() ? null
                    : "ask an owner or admin of the org";
            case PAYMENT_REQUIRED -> e.problem().map(Problem::upgradeUrl).map(u -> "upgrade at " + u).orElse("upgrade the plan");
            case LOGIN_DENIED, LOGIN_EXPIRED -> "run `ccp login` to try again";
            case KEY_CHANGED -> "if the server's operator confirms a key rotation, run `ccp login --repin`";
            case LICENSE_INVALID -> "run `ccp login` again, and tell the server's operator if it persists";
            case POLICY_INVALID -> "the policy in force stays; tell the server's operator if it persists";
            // The server's problem detail already says what to change.
            case NOT_FOUND, CONFLICT, BAD_REQUEST -> e.problem().isPresent() ? null : "check the command's arguments";
            case RATE_LIMITED -> "wait a minute and try again";
            case IO -> "check the files in the ccp folder (CCP_HOME), or run `ccp login` again";
        };
        return todo == null ? "ccp: " + what : "ccp: " + what + " — " + todo;
    }

    static String line(License license) {
        String todo = switch (license.status()) {
            case EXPIRED -> "renew the plan, then run `ccp status`";
            case NOT_YET_VALID, CLOCK_ROLLBACK -> "check the system clock";
            case BAD_SIGNATURE, MALFORMED, UNKNOWN_KEY -> "run `ccp login` to fetch a fresh license";
            case MISSING -> "ask an owner or admin of the org for a seat, then run `ccp status`";
            case VALID, GRACE -> "nothing to do";
        };
        return "ccp: license " + label(license) + ": " + license.detail() + " — " + todo;
    }

    static String label(License license) {
        return switch (license.status()) {
            case VALID -> "valid";
            case GRACE -> "in grace";
            case EXPIRED -> "expired";
            case NOT_YET_VALID -> "not valid yet";
            case BAD_SIGNATURE -> "tampered with";
            case UNKNOWN_KEY -> "signed by an untrusted key";
            case CLOCK_ROLLBACK -> "refused because the clock went back";
            case MALFORMED -> "damaged";
            case MISSING -> "missing";
        };
    }
}
