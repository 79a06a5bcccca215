package dev.ccp.server.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes secret files the only safe way: a 0600 temporary file beside the target (in a folder made
 * 0700), written in full and synced, renamed over the target, and the folder synced so the rename
 * survives a crash.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void writeSecret(Path target, byte[] content) {
        write(target, content, true);
    }

    /**
     * Writes a secret file only where none is yet, in one step that another process doing the same
     * cannot interleave with: the complete file is linked into place, which fails if the name exists.
     *
     * @return whether this call made the file; false when another made it first (read that one)
     */
    public static boolean createSecret(Path target, byte[] content) {
        return write(target, content, false);
    }

    /**
     * Puts the complete file in place only if the name is free. A hard link does that in one step;
     * on a file system without links (some network shares), a move that refuses an existing target
     * is the nearest it has.
     */
    private static void link(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            Files.move(tmp, target);
        }
    }

    private static boolean write(Path target, byte[] content, boolean replace) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            Path dir = target.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, posix
                        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                        : new FileAttribute<?>[0]);
            }
            FileAttribute<?>[] attrs = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                    : new FileAttribute<?>[0];
            Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attrs);
            try {
                try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ByteBuffer buffer = ByteBuffer.wrap(content);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
                if (replace) {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    try {
                        link(tmp, target);
                    } catch (java.nio.file.FileAlreadyExistsException e) {
                        return false;
                    }
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            if (posix) {
                try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
                    folder.force(true);
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
