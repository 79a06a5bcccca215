package dev.ccp.sdk;

import dev.ccp.spi.wire.Problem;
import java.util.Objects;
import java.util.Optional;

/**
 * An expected failure of a call that talks to the server or to the files under the SDK's home.
 * Callers branch on {@link #kind()}; the message is one sentence for people. A bad license is not an
 * exception but a {@link License#status()}.
 */
public final class CcpException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, coarse enough to decide what to tell the user. */
    public enum Kind {
        /** There are no credentials for this server. */
        NOT_LOGGED_IN,
        /** The server could not be reached, or did not answer in time. */
        SERVER_UNREACHABLE,
        /**
         * The server answered that it cannot serve right now: it is starting or stopping, or it cannot
         * reach its database. Try again shortly; nothing was done.
         */
        SERVER_UNAVAILABLE,
        /** The session was revoked or has expired: log in again. */
        UNAUTHORIZED,
        /** The server refused: the caller may not do this (not an admin, no seat). */
        FORBIDDEN,
        NOT_FOUND,
        CONFLICT,
        /** The server refused the request as malformed or invalid. */
        BAD_REQUEST,
        /** The person denied the device login. */
        LOGIN_DENIED,
        /** The device code expired before the person approved it. */
        LOGIN_EXPIRED,
        /** The server's license keys differ from the ones pinned at the first login. */
        KEY_CHANGED,
        /** The server sent a license pack that does not verify. */
        LICENSE_INVALID,
        /** A policy pack was refused: bad signature, unknown key, another org's or channel's, older, expired. */
        POLICY_INVALID,
        PAYMENT_REQUIRED,
        RATE_LIMITED,
        /** The server failed (5xx) or answered something unreadable. */
        SERVER_ERROR,
        /** A local file could not be read or written. */
        IO
    }

    private final Kind kind;
    private final transient Problem problem;

    public CcpException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public CcpException(Kind kind, String message, Problem problem, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.problem = problem;
    }

    public Kind kind() {
        return kind;
    }

    /** The server's RFC 9457 problem, when the failure came with one. */
    public Optional<Problem> problem() {
        return Optional.ofNullable(problem);
    }
}
