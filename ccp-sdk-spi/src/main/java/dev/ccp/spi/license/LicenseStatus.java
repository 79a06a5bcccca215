package dev.ccp.spi.license;

/** The outcome of verifying a license pack offline. Only {@link #VALID} and {@link #GRACE} grant anything. */
public enum LicenseStatus {
    /** Signature good, inside its validity window. */
    VALID,
    /** Past {@code exp} but before {@code grace_until}: entitlements still hold, renewal is due. */
    GRACE,
    /** Past {@code grace_until}. */
    EXPIRED,
    /** {@code nbf} is in the future. */
    NOT_YET_VALID,
    /** The signature does not match the content. */
    BAD_SIGNATURE,
    /** Signed by a key that is not trusted (not built in and not pinned). */
    UNKNOWN_KEY,
    /** The local clock runs behind what was already seen: issued in its future, or earlier than the last check. */
    CLOCK_ROLLBACK,
    /** Not a well-formed license pack. */
    MALFORMED,
    /** There is no pack. */
    MISSING;

    /** Whether a pack with this status grants its entitlements. */
    public boolean grants() {
        return this == VALID || this == GRACE;
    }
}
