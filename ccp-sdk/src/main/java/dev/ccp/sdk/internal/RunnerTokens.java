package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Runner tokens kept under the SDK's home, one file per workspace ({@code runners/NAME.token}),
 * owner-only and written atomically like the credentials: the server shows a token once.
 */
public final class RunnerTokens {

    private final Path dir;

    public RunnerTokens(Engine engine) {
        this.dir = engine.config.home().resolve("runners");
    }

    /** Where the token of the workspace named {@code workspace} is kept; a name unfit for a file name is made fit. */
    public Path file(String workspace) {
        if (workspace == null || workspace.isBlank()) {
            throw new IllegalArgumentException("a workspace name must not be blank");
        }
        String name = workspace.strip().replaceAll("[^A-Za-z0-9._-]", "_");
        return dir.resolve((name.startsWith(".") ? "_" + name.substring(1) : name) + ".token");
    }

    /** Writes the token to the workspace's file, replacing one kept before; answers the file. */
    public Path save(String workspace, String token) {
        Path file = file(workspace);
        try {
            AtomicFiles.write(file, (token + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CcpException(Kind.IO, "cannot write " + file + ": " + e.getMessage(), null, e);
        }
        return file;
    }
}
