package dev.ccp.sdk.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The one way the SDK writes a file: a temp file in the same folder, owner-only from the moment it
 * exists (so a secret is never readable by others, not even briefly), flushed to disk, then renamed
 * over the target. A reader, or a crash, sees the old content or the new, never half of either.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        createPrivateDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", ownerOnly(dir, "rw-------"));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
    }

    /** The file's bytes, or null when it does not exist. */
    public static byte[] readIfExists(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Creates the folder (and missing parents) owner-only where POSIX permissions exist. */
    public static void createPrivateDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, ownerOnly(parent == null ? dir : parent, "rwx------"));
            } catch (FileAlreadyExistsException raced) {
                // another process made it first: fine
            }
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path onFileSystemOf, String permissions) {
        if (onFileSystemOf.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
        }
        // Elsewhere (Windows) a file under the user's profile inherits an owner-only ACL.
        return new FileAttribute<?>[0];
    }

    /** Makes the rename itself durable. Not every platform can open a folder; there it is skipped. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the content itself is already on disk
        }
    }
}
