package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.spi.wire.WorkspaceRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The {@code git} command, for the little a run needs: where the workspace is, what it stands on,
 * and the one commit at the end. The command rather than a library, so that the person's own git
 * settings, hooks and signing apply, as when they commit by hand.
 */
final class Git {

    private final Path root;

    private Git(Path root) {
        this.root = root;
    }

    /**
     * The repository {@code dir} lies in.
     *
     * @throws IllegalArgumentException when it lies in none, or git cannot be run
     */
    static Git of(Path dir) {
        Processes.Result top = Processes.run(List.of("git", "rev-parse", "--show-toplevel"), dir, null);
        if (!top.ok()) {
            throw new IllegalArgumentException(dir + " is not inside a git repository (" + top.output().strip() + ")");
        }
        return new Git(Path.of(top.output().strip()));
    }

    Path root() {
        return root;
    }

    /** The workspace as the server records it: its folder's name, root, branch (null when detached) and HEAD (null before the first commit). */
    WorkspaceRef workspace() {
        Processes.Result branch = git("symbolic-ref", "--short", "-q", "HEAD");
        Processes.Result head = git("rev-parse", "-q", "--verify", "HEAD");
        return new WorkspaceRef(root.getFileName() == null ? root.toString() : root.getFileName().toString(), root.toString(),
                branch.ok() ? branch.output().strip() : null, head.ok() ? head.output().strip() : null);
    }

    /**
     * Commits exactly {@code files}, whatever else is staged, with {@code message}; null when they
     * hold nothing new.
     *
     * @throws CcpException {@link Kind#IO} with git's words when it refuses
     */
    String commit(Collection<String> files, String message, String trailer) {
        List<String> paths = new ArrayList<>(files);
        check(git(args(List.of("add", "--"), paths)), "git add");
        Processes.Result staged = git(args(List.of("diff", "--cached", "--name-only", "--"), paths));
        check(staged, "git diff");
        if (staged.output().isBlank()) {
            return null;
        }
        // Naming the paths commits them alone: what the person staged before the run stays staged, uncommitted.
        check(git(args(List.of("commit", "-q", "-m", message, "-m", trailer, "--"), paths)), "git commit");
        Processes.Result head = git("rev-parse", "HEAD");
        check(head, "git rev-parse");
        return head.output().strip();
    }

    private static List<String> args(List<String> command, List<String> paths) {
        List<String> all = new ArrayList<>(command);
        all.addAll(paths);
        return all;
    }

    private Processes.Result git(String... args) {
        return git(List.of(args));
    }

    private Processes.Result git(List<String> args) {
        List<String> argv = new ArrayList<>(List.of("git", "-C", root.toString()));
        argv.addAll(args);
        return Processes.run(argv, root, null);
    }

    private static void check(Processes.Result result, String what) {
        if (!result.ok()) {
            throw new CcpException(Kind.IO, what + " failed: " + result.output().strip());
        }
    }
}
