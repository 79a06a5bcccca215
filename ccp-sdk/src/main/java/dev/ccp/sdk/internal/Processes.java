package dev.ccp.sdk.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program and keeps the tail of what it printed (standard output and error together, as a
 * terminal shows them): a build may print megabytes, and only the end says why it failed.
 */
final class Processes {

    /** How much of the output a step keeps, as the server does. */
    static final int TAIL = 64 * 1024;

    /**
     * What a program did.
     *
     * @param exitCode null when it did not start or was stopped at the timeout
     * @param output   the tail of its output, or why it did not run
     */
    record Result(Integer exitCode, String output) {
        boolean ok() {
            return exitCode != null && exitCode == 0;
        }
    }

    private Processes() {
    }

    /** Runs {@code argv} in {@code dir} with nothing on its standard input; {@code timeout} null waits as long as it takes. */
    static Result run(List<String> argv, Path dir, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(null, "cannot start " + argv.get(0) + ": " + e.getMessage());
        }
        Tail tail = new Tail(process.getInputStream());
        Thread reader = new Thread(tail, "ccp-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            process.getOutputStream().close();
            if (timeout == null) {
                process.waitFor();
            } else if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process);
                reader.join(TimeUnit.SECONDS.toMillis(5));
                return new Result(null, tail.text() + "\n(stopped after " + timeout.toSeconds() + " s)");
            }
            reader.join();
            return new Result(process.exitValue(), tail.text());
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            return new Result(null, tail.text() + "\n(interrupted)");
        } catch (IOException e) {
            stop(process);
            return new Result(null, "cannot talk to " + argv.get(0) + ": " + e.getMessage());
        }
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Reads a stream to its end, keeping its last {@link #TAIL} bytes. */
    private static final class Tail implements Runnable {
        private final InputStream in;
        private final byte[] ring = new byte[TAIL];
        private long total;

        Tail(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    synchronized (this) {
                        for (int i = 0; i < n; i++) {
                            ring[(int) (total++ % TAIL)] = buffer[i];
                        }
                    }
                }
            } catch (IOException e) {
                // The process went away; what was read so far is the output.
            }
        }

        synchronized String text() {
            if (total <= TAIL) {
                return new String(ring, 0, (int) total, StandardCharsets.UTF_8);
            }
            int start = (int) (total % TAIL);
            byte[] ordered = new byte[TAIL];
            System.arraycopy(ring, start, ordered, 0, TAIL - start);
            System.arraycopy(ring, 0, ordered, TAIL - start, start);
            return new String(ordered, StandardCharsets.UTF_8);
        }
    }
}
