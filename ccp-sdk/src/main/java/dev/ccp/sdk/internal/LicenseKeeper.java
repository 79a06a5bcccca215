package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.sdk.License;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.license.LicensePackCodec;
import dev.ccp.spi.license.LicenseStatus;
import dev.ccp.spi.license.Verification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code license.jws}: verifies the stored pack offline, and stores a new one only once it has
 * verified, so a failed renewal always leaves the last good pack in place.
 */
final class LicenseKeeper {

    /** Outcomes that say the bytes cannot be trusted at all, as opposed to a genuine pack outside its window. */
    private static final Set<LicenseStatus> UNTRUSTED =
            EnumSet.of(LicenseStatus.BAD_SIGNATURE, LicenseStatus.UNKNOWN_KEY, LicenseStatus.MALFORMED);

    private final Path file;
    private final LastSeen lastSeen;
    private final Clock clock;
    private final LicensePackCodec codec = new LicensePackCodec();

    LicenseKeeper(Path file, LastSeen lastSeen, Clock clock) {
        this.file = file;
        this.lastSeen = lastSeen;
        this.clock = clock;
    }

    /** Never throws: an unreadable file is reported as the license's status. */
    License verifyStored(KeyRing trusted) {
        String pack;
        try {
            byte[] bytes = AtomicFiles.readIfExists(file);
            pack = bytes == null ? null : new String(bytes, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return License.missing("cannot read " + file.getFileName() + ": " + e.getMessage());
        }
        return License.of(verify(pack, trusted));
    }

    /**
     * Verifies a pack just fetched from the server.
     *
     * @throws CcpException {@link Kind#LICENSE_INVALID} when it does not verify against {@code trusted}
     */
    Verification verifyFetched(String pack, KeyRing trusted) {
        return requireTrusted(fetched(pack, trusted));
    }

    /**
     * Verifies a pack just fetched from the server, without judging it. A genuine one vouches for the
     * time: when only the last time seen makes it {@code CLOCK_ROLLBACK}, that time came from a clock
     * that once ran ahead, and is moved back to the later of now and the pack's issue time. A pack read
     * from disk never does this, so offline a wound-back clock stays refused.
     */
    Verification fetched(String pack, KeyRing trusted) {
        Verification verification = verify(pack, trusted);
        if (verification.status() != LicenseStatus.CLOCK_ROLLBACK || verification.claims() == null) {
            return verification;
        }
        Instant now = clock.instant();
        Instant issuedAt = verification.claims().issuedAt();
        lastSeen.lowerTo(issuedAt.isAfter(now) ? issuedAt : now);
        return verify(pack, trusted);
    }

    /** A genuine pack outside its time window is kept (it says what happened); untrustworthy bytes are not. */
    static Verification requireTrusted(Verification verification) {
        if (UNTRUSTED.contains(verification.status())) {
            throw new CcpException(Kind.LICENSE_INVALID, "the server sent a license pack that does not verify: "
                    + verification.detail());
        }
        return verification;
    }

    void store(String pack) {
        try {
            AtomicFiles.write(file, (pack + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new CcpException(Kind.IO, "cannot save the license pack: " + e.getMessage(), null, e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CcpException(Kind.IO, "cannot delete the license pack: " + e.getMessage(), null, e);
        }
    }

    Verification verify(String pack, KeyRing trusted) {
        Instant now = clock.instant();
        // Only license keys vouch for a license pack, however many purposes the trusted ring holds.
        Verification verification = codec.verify(pack, trusted.forPurpose(PackKeys.LICENSE), now, lastSeen.get());
        if (pack != null) {
            // Nothing to protect without a pack: a person who never logged in gets no state file.
            lastSeen.advance(now);
        }
        return verification;
    }
}
