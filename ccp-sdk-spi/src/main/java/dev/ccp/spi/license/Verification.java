package dev.ccp.spi.license;

import java.util.Objects;

/**
 * What verifying a pack found.
 *
 * @param status the outcome
 * @param claims the claims when the signature was checked and they parsed, else null
 * @param kid the key id named by the pack, when it could be read
 * @param detail one sentence saying why, for people
 */
public record Verification(LicenseStatus status, LicenseClaims claims, String kid, String detail) {

    public Verification {
        Objects.requireNonNull(status, "status");
    }

    static Verification of(LicenseStatus status, String kid, String detail) {
        return new Verification(status, null, kid, detail);
    }
}
