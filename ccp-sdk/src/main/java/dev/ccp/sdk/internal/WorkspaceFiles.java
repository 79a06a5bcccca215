package dev.ccp.sdk.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes the files of one change into the workspace, all or nothing: each file goes to a temp file
 * next to it and is renamed over the old one (so an editor or build never reads half a file), and
 * when one fails, those already written get their old content back and new files and folders go.
 * Unlike {@link AtomicFiles}, a file keeps its permissions, and a new one gets the default ones:
 * these are the person's sources, not secrets.
 */
final class WorkspaceFiles {

    private static final Log LOG = Log.of(WorkspaceFiles.class);

    private WorkspaceFiles() {
    }

    /** The content of each file now (UTF-8), without an entry for a file that does not exist. */
    static Map<String, String> read(Path root, Iterable<String> paths) throws IOException {
        Map<String, String> now = new java.util.TreeMap<>();
        for (String path : paths) {
            Path file = inside(root, path);
            // Absent, or below something that is not a folder: either way there is nothing to read.
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                now.put(path, new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            }
        }
        return now;
    }

    /**
     * Writes {@code files}, after checking that each still holds its content {@code before} (no entry:
     * it must not exist), so that a change never overwrites what someone wrote after it was proposed.
     *
     * @throws IOException naming the file that failed; every file is then as it was
     */
    static void write(Path root, Map<String, String> files, Map<String, String> before) throws IOException {
        Map<String, String> now = read(root, files.keySet());
        for (String path : files.keySet()) {
            if (!Objects.equals(now.get(path), before.get(path))) {
                throw new IOException(path + " changed since the step was proposed");
            }
        }
        Deque<Runnable> undo = new ArrayDeque<>();
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path target = inside(root, file.getKey());
                byte[] previous = AtomicFiles.readIfExists(target);
                List<Path> made = directories(root, target.getParent());
                undo.push(() -> removeDirectories(made));
                replace(target, file.getValue().getBytes(StandardCharsets.UTF_8));
                undo.push(() -> restore(target, previous));
            }
        } catch (IOException | RuntimeException e) {
            undo.forEach(Runnable::run);
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /**
     * The file a workspace-relative path names, refused when it leaves the workspace or is a link:
     * through a link, a run would read or write what lies elsewhere.
     */
    static Path inside(Path root, String path) throws IOException {
        Path target = root.resolve(path).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IOException(path + " is outside the workspace");
        }
        if (Files.isSymbolicLink(target)) {
            throw new IOException(path + " is a symbolic link, which a run does not follow");
        }
        Path parent = target.getParent();
        if (Files.isDirectory(parent) && !parent.toRealPath().startsWith(root.toRealPath())) {
            throw new IOException(path + " lies in a folder that leads outside the workspace");
        }
        return target;
    }

    /** Creates the missing folders down to {@code dir}; refuses one that a link leads out of the workspace. */
    private static List<Path> directories(Path root, Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; d != null && !Files.exists(d, LinkOption.NOFOLLOW_LINKS); d = d.getParent()) {
            missing.add(0, d);
        }
        List<Path> made = new ArrayList<>();
        for (Path d : missing) {
            made.add(Files.createDirectory(d));
        }
        if (!dir.toRealPath().startsWith(root.toRealPath())) {
            removeDirectories(made);
            throw new IOException(root.relativize(dir) + " leads outside the workspace");
        }
        return made;
    }

    private static void replace(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            // Opened without attributes, so a new file gets the default permissions (the umask's).
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            PosixFileAttributeView old = Files.getFileAttributeView(target, PosixFileAttributeView.class);
            if (old != null && Files.exists(target)) {
                Files.getFileAttributeView(temp, PosixFileAttributeView.class).setPermissions(old.readAttributes().permissions());
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void restore(Path target, byte[] previous) {
        try {
            if (previous == null) {
                Files.deleteIfExists(target);
            } else {
                replace(target, previous);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot restore " + target + " after a failed change: " + e.getMessage());
        }
    }

    private static void removeDirectories(List<Path> made) {
        for (int i = made.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(made.get(i));
            } catch (DirectoryNotEmptyException e) {
                return; // something else lives there now
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot remove " + made.get(i) + " after a failed change: " + e.getMessage());
                return;
            }
        }
    }
}
