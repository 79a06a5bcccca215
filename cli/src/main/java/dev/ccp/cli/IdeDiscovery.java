package dev.ccp.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ccp.spi.wire.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The discovery files of editor bridges (docs/ide-protocol.md): one {@code PID.json} per {@code ccp}
 * that serves a bridge, in a folder only the user can enter, so that an editor finds the port and
 * token of the {@code ccp} working in its folder and nobody else does.
 */
final class IdeDiscovery {

    /**
     * What an editor reads from the file.
     *
     * @param version the protocol's version, 1
     * @param ccp     the version of ccp
     */
    record Entry(
            @JsonProperty("version") int version,
            @JsonProperty("ccp") String ccp,
            @JsonProperty("pid") long pid,
            @JsonProperty("port") int port,
            @JsonProperty("token") String token,
            @JsonProperty("workspace") String workspace,
            @JsonProperty("started_at") Instant startedAt) {
    }

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private IdeDiscovery() {
    }

    /** {@code $XDG_RUNTIME_DIR/ccp/ide}, else {@code ccp-USER/ide} in the temporary folder ({@code $TMPDIR}, else the JVM's). */
    private static Path folder(Map<String, String> env) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            return Path.of(runtime, "ccp", "ide");
        }
        // $TMPDIR first, as editors written in other languages look there; the JVM ignores it on Linux.
        String tmp = env.get("TMPDIR");
        Path temporary = tmp != null && !tmp.isBlank() ? Path.of(tmp) : Path.of(System.getProperty("java.io.tmpdir"));
        return temporary.resolve("ccp-" + System.getProperty("user.name")).resolve("ide");
    }

    /** The discovery file of process {@code pid}: {@code PID.json} in the {@linkplain #folder folder}. */
    static Path file(Map<String, String> env, long pid) {
        return folder(env).resolve(pid + ".json");
    }

    /** Writes {@code file} atomically, owner-only, after deleting the files of processes that ended. */
    static void write(Path file, Entry entry) throws IOException {
        Path folder = file.getParent();
        privateFolder(folder.getParent());
        privateFolder(folder);
        removeStale(folder, entry.pid());
        Path temp = Files.createTempFile(folder, "." + entry.pid() + ".", ".tmp", ownerOnly(folder, "rw-------"));
        try {
            Files.write(temp, Json.lenient().writeValueAsBytes(entry));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Deletes the {@code PID.json} files whose process is no longer running, except {@code own}'s. */
    private static void removeStale(Path folder, long own) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String digits = name.substring(0, name.length() - ".json".length());
                if (!digits.matches("[0-9]{1,18}")) {
                    continue;
                }
                long pid = Long.parseLong(digits);
                if (pid != own && ProcessHandle.of(pid).map(ProcessHandle::isAlive).isEmpty()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /**
     * Creates the folder owner-only, or checks that an existing one is the user's own and no link:
     * in a shared temporary folder someone else may have made it first, to read the tokens.
     */
    private static void privateFolder(Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, ownerOnly(dir.getParent(), "rwx------"));
        } catch (FileAlreadyExistsException exists) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(dir + " is not a folder");
            }
        }
        if (posix(dir)) {
            UserPrincipal me = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
            if (!Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).equals(me)) {
                throw new IOException(dir + " belongs to someone else; remove it");
            }
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path onFileSystemOf, String permissions) {
        if (posix(onFileSystemOf)) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
        }
        // Elsewhere (Windows) a file under the user's profile inherits an owner-only ACL.
        return new FileAttribute<?>[0];
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
