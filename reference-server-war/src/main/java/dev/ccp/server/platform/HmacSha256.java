package dev.ccp.server.platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 with one secret, as the services that sign their requests to the server use it
 * (Slack, GitHub): the hex MAC of a message given in parts. Compare a presented signature with
 * {@link Ids#constantTimeEquals}.
 */
public final class HmacSha256 {

    private final SecretKeySpec key;

    public HmacSha256(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The lower-case hex MAC of the parts, one after another. */
    public String hex(byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            for (byte[] part : parts) {
                mac.update(part);
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
