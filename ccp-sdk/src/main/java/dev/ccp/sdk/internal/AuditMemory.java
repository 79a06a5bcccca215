package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.spi.audit.AuditCheckpoint;
import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The newest audit checkpoint verified on this machine, per org: a later export must agree with it,
 * so a log rewritten and signed again after an earlier check shows. Written atomically; it holds
 * no secret.
 */
public final class AuditMemory {

    private final Path file;

    AuditMemory(Path file) {
        this.file = file;
    }

    public Optional<AuditCheckpoint> seen(String org) {
        if (!(read().get(org) instanceof Map<?, ?> entry)) {
            return Optional.empty();
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) entry;
            Instant at = JsonValues.instant(json, "at");
            return Optional.of(new AuditCheckpoint(org, JsonValues.requiredLong(json, "seq"), JsonValues.requiredString(json, "hash"),
                    at == null ? Instant.EPOCH : at));
        } catch (IOException | RuntimeException e) {
            throw new CcpException(Kind.IO, file.getFileName() + " is damaged: " + e.getMessage(), null, e);
        }
    }

    /** Keeps the checkpoint when it is newer than the one kept for its org. */
    public void remember(AuditCheckpoint checkpoint) {
        Optional<AuditCheckpoint> kept = seen(checkpoint.org());
        if (kept.isPresent() && kept.get().seq() >= checkpoint.seq()) {
            return;
        }
        Map<String, Object> root = read();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("seq", checkpoint.seq());
        entry.put("hash", checkpoint.hash());
        entry.put("at", checkpoint.at().toString());
        root.put(checkpoint.org(), entry);
        try {
            AtomicFiles.write(file, JsonValues.write(root, true));
        } catch (IOException e) {
            throw new CcpException(Kind.IO, "cannot write " + file.getFileName() + ": " + e.getMessage(), null, e);
        }
    }

    private Map<String, Object> read() {
        try {
            return new LinkedHashMap<>(JsonValues.readObject(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        } catch (IOException e) {
            throw new CcpException(Kind.IO, file.getFileName() + " is damaged: " + e.getMessage(), null, e);
        }
    }
}
