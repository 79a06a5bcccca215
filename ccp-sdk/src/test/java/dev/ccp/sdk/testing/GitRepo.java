package dev.ccp.sdk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A git repository in a test's folder, with an identity of its own and a first commit. */
public final class GitRepo {

    private final Path root;

    private GitRepo(Path root) {
        this.root = root;
    }

    /** A repository on branch {@code main} holding {@code README.md}. */
    public static GitRepo init(Path dir) {
        GitRepo repo = new GitRepo(dir);
        repo.git("init", "-q", "-b", "main");
        repo.git("config", "user.name", "Test Person");
        repo.git("config", "user.email", "test@example.com");
        repo.git("config", "commit.gpgsign", "false");
        repo.write("README.md", "# Demo\n");
        repo.git("add", "README.md");
        repo.git("commit", "-q", "-m", "First");
        return repo;
    }

    public Path root() {
        return root;
    }

    public Path path(String file) {
        return root.resolve(file);
    }

    public void write(String file, String content) {
        try {
            Files.createDirectories(path(file).getParent());
            Files.writeString(path(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String read(String file) {
        try {
            return Files.readString(path(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs git in the repository; answers its output, and fails the test when git fails. */
    public String git(String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "-C", root.toString()));
        argv.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String head() {
        return git("rev-parse", "HEAD").strip();
    }

    /** The files the newest commit changed, sorted. */
    public List<String> committedFiles() {
        return git("show", "--name-only", "--format=", "HEAD").lines().filter(l -> !l.isBlank()).sorted().toList();
    }

    public String message() {
        return git("log", "-1", "--format=%B");
    }
}
