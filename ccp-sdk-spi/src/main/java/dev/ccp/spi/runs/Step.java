package dev.ccp.spi.runs;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** One thing a run proposes to do: change files, run a command, or say something. */
public sealed interface Step permits Step.FileChange, Step.Command, Step.Note {

    /**
     * New content for one or more files.
     *
     * @param files workspace-relative path to the file's new content
     */
    record FileChange(Map<String, String> files) implements Step {
        public FileChange {
            Objects.requireNonNull(files, "files");
            if (files.isEmpty()) {
                throw new IllegalArgumentException("a file change needs at least one file");
            }
            files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
        }
    }

    /**
     * A command to run.
     *
     * @param argv the program and its arguments
     * @param cwd the workspace-relative folder to run it in; {@code .} for the workspace itself
     */
    record Command(List<String> argv, String cwd) implements Step {
        public Command {
            argv = List.copyOf(Objects.requireNonNull(argv, "argv"));
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("a command needs a program");
            }
            cwd = cwd == null || cwd.isBlank() ? "." : cwd;
        }

        /** The command as policy globs read it: the arguments joined by single spaces. */
        public String line() {
            return String.join(" ", argv);
        }
    }

    /** Something for the people following the run; it changes nothing. */
    record Note(String text) implements Step {
        public Note {
            Objects.requireNonNull(text, "text");
        }
    }
}
