package dev.ccp.sdk.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.spi.policy.PolicyPackCodec;
import dev.ccp.spi.wire.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;


/** {@code policy-channel.json}: which channel this home follows ({@code prod} unless {@code ccp policy use} said otherwise). */
public final class PolicyChannels {

    public static final String DEFAULT = "prod";

    private final Path file;

    PolicyChannels(Path file) {
        this.file = file;
    }

    public static String check(String channel) {
        if (channel == null || !PolicyPackCodec.CHANNELS.contains(channel)) {
            throw new IllegalArgumentException("channel must be dev or prod, was " + channel);
        }
        return channel;
    }

    public String selected() {
        try {
            byte[] bytes = AtomicFiles.readIfExists(file);
            if (bytes == null) {
                return DEFAULT;
            }
            JsonNode channel = Json.lenient().readTree(bytes).path("channel");
            if (!PolicyPackCodec.CHANNELS.contains(channel.asText())) {
                throw new CcpException(Kind.IO, file.getFileName() + " names no channel dev or prod; run 'ccp policy use dev|prod'");
            }
            return channel.asText();
        } catch (JacksonException e) {
            throw new CcpException(Kind.IO, file.getFileName() + " is damaged: " + e.getOriginalMessage(), null, e);
        } catch (IOException e) {
            throw new CcpException(Kind.IO, "cannot read " + file.getFileName() + ": " + e.getMessage(), null, e);
        }
    }

    public void select(String channel) {
        try {
            AtomicFiles.write(file, ("{\"channel\":\"" + check(channel) + "\"}\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CcpException(Kind.IO, "cannot write " + file.getFileName() + ": " + e.getMessage(), null, e);
        }
    }
}
