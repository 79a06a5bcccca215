package dev.ccp.cli;

import dev.ccp.spi.runs.Approver;
import dev.ccp.spi.runs.Decision;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepView;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Asks about a waiting step in the terminal: a(pprove), r(eject), d(iff), e(dit in $EDITOR, then
 * approve). The prompt runs on a thread of its own and stops when the step is decided elsewhere
 * first. Lines are read from the input by one reader thread for the whole run, since a read from a
 * terminal cannot be interrupted.
 */
final class TerminalApprover implements Approver {

    private final Context context;
    private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();
    private Thread reader;

    TerminalApprover(Context context) {
        this.context = context;
    }

    @Override
    public CompletableFuture<Decision> ask(RunView run, StepView step) {
        CompletableFuture<Decision> answer = new CompletableFuture<>();
        Thread prompt = new Thread(() -> prompt(step, answer), "ccp-prompt-" + step.n());
        prompt.setDaemon(true);
        answer.whenComplete((decision, failure) -> {
            if (answer.isCancelled()) {
                prompt.interrupt();
            }
        });
        prompt.start();
        return answer;
    }

    private void prompt(StepView step, CompletableFuture<Decision> answer) {
        context.out().println("  waits: " + step.reason());
        try {
            while (!answer.isDone()) {
                context.out().print("  a approve, r reject, d show the " + (step.diff() != null ? "diff" : "step")
                        + (step.files() != null ? ", e edit then approve" : "") + ": ");
                context.out().flush();
                Optional<String> line = next();
                if (line.isEmpty()) {
                    context.out().println();
                    context.out().println("  (no answer: the input has ended)");
                    answer.complete(null);
                    return;
                }
                switch (line.get().strip().toLowerCase(java.util.Locale.ROOT)) {
                    case "a" -> answer.complete(Decision.approve("terminal"));
                    case "r" -> answer.complete(Decision.reject("terminal"));
                    case "d" -> context.out().print(step.diff() != null ? step.diff()
                            : step.argv() != null ? "  " + String.join(" ", step.argv()) + " (in " + step.cwd() + ")\n" : "  " + step.text() + "\n");
                    case "e" -> edit(step).ifPresent(answer::complete);
                    default -> context.out().println("  answer a, r, d or e");
                }
            }
        } catch (InterruptedException e) {
            // Decided elsewhere: the run says by whom.
        }
    }

    private Optional<String> next() throws InterruptedException {
        synchronized (this) {
            if (reader == null) {
                reader = new Thread(this::read, "ccp-input");
                reader.setDaemon(true);
                reader.start();
            }
        }
        Optional<String> line = lines.take();
        if (line.isEmpty()) {
            lines.add(line); // the end of the input stays the end for every later prompt
        }
        return line;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(context.in(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(Optional.of(line));
            }
        } catch (IOException e) {
            // A broken input ends it like a closed one.
        }
        lines.add(Optional.empty());
    }

    /** Opens each file of the change in the editor; approves with what the person saved, when it differs. */
    private Optional<Decision> edit(StepView step) throws InterruptedException {
        if (step.files() == null) {
            context.out().println("  only a change can be edited");
            return Optional.empty();
        }
        String editor = context.env().getOrDefault("VISUAL", context.env().getOrDefault("EDITOR", "vi"));
        Map<String, String> edited = new LinkedHashMap<>();
        try {
            Path dir = Files.createTempDirectory("ccp-edit");
            try {
                for (Map.Entry<String, String> file : step.files().entrySet()) {
                    Path copy = Files.writeString(dir.resolve(Path.of(file.getKey()).getFileName()), file.getValue());
                    try {
                        List<String> argv = new ArrayList<>(Arrays.asList(editor.strip().split("\\s+")));
                        argv.add(copy.toString());
                        int exit = new ProcessBuilder(argv).inheritIO().start().waitFor();
                        if (exit != 0) {
                            context.out().println("  the editor exited with " + exit + "; nothing was approved");
                            return Optional.empty();
                        }
                        String saved = Files.readString(copy);
                        if (!saved.equals(file.getValue())) {
                            edited.put(file.getKey(), saved);
                        }
                    } finally {
                        Files.deleteIfExists(copy);
                    }
                }
            } finally {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            context.out().println("  cannot edit with " + editor + ": " + e.getMessage());
            return Optional.empty();
        }
        return Optional.of(edited.isEmpty() ? Decision.approve("terminal") : Decision.approveWithEdits(edited, "terminal"));
    }
}
