package dev.ccp.spi.policy;

import java.util.Objects;

/**
 * What checking a policy pack found.
 *
 * @param result the outcome
 * @param claims the claims when the signature was good and they parsed, else null
 * @param document the parsed document when the result is {@link Result#VALID}, else null
 * @param kid the key id the pack names, when it could be read
 * @param detail one sentence saying why, for people
 */
public record PolicyVerification(Result result, PolicyClaims claims, PolicyDocument document, String kid, String detail) {

    /** The outcomes, in the order they are checked. Only {@link #VALID} may be used. */
    public enum Result { VALID, MALFORMED, UNKNOWN_KEY, BAD_SIGNATURE, WRONG_ORG, WRONG_CHANNEL, ISSUED_IN_FUTURE, EXPIRED }

    public PolicyVerification {
        Objects.requireNonNull(result, "result");
    }

    public boolean valid() {
        return result == Result.VALID;
    }
}
