package dev.ccp.cli;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.PatchFailedException;
import com.github.difflib.unifieddiff.UnifiedDiff;
import com.github.difflib.unifieddiff.UnifiedDiffFile;
import com.github.difflib.unifieddiff.UnifiedDiffReader;
import dev.ccp.spi.runs.Recipe;
import dev.ccp.spi.runs.Step;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The step a recipe entry stands for. A patch is applied when its turn comes, to the files as the
 * steps before it left them, so a recipe may write a file and then patch it.
 */
final class RecipeSteps {

    private static final String NONE = "/dev/null";

    private RecipeSteps() {
    }

    /**
     * @throws IllegalArgumentException when a patch cannot be read or does not apply
     */
    static Step step(Path root, Recipe.Entry entry) {
        if (entry instanceof Recipe.Run run) {
            return new Step.Command(run.argv(), run.cwd());
        }
        if (entry instanceof Recipe.Write write) {
            return new Step.FileChange(Map.of(write.path(), write.content()));
        }
        if (entry instanceof Recipe.Patch patch) {
            return patch(root, patch.file());
        }
        return new Step.Note(((Recipe.Say) entry).text());
    }

    /** One line about an entry, for the terminal and the people following the run. */
    static String summary(Recipe.Entry entry) {
        if (entry instanceof Recipe.Run run) {
            return "run " + String.join(" ", run.argv()) + (run.cwd().equals(".") ? "" : " (in " + run.cwd() + ")");
        }
        if (entry instanceof Recipe.Write write) {
            return "write " + write.path();
        }
        if (entry instanceof Recipe.Patch patch) {
            return "patch with " + patch.file();
        }
        return "note: " + ((Recipe.Say) entry).text();
    }

    private static Step patch(Path root, String name) {
        Path file = root.resolve(name).normalize();
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException("the patch " + name + " is outside the workspace");
        }
        UnifiedDiff diff;
        try {
            diff = UnifiedDiffReader.parseUnifiedDiff(new ByteArrayInputStream(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the patch " + name + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the patch " + name + " is not a unified diff: " + e.getMessage());
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (UnifiedDiffFile changed : diff.getFiles()) {
            String path = changed.getToFile();
            if (path == null || path.equals(NONE)) {
                throw new IllegalArgumentException("the patch " + name + " deletes " + changed.getFromFile() + ", which a run cannot do");
            }
            files.put(path, apply(root, name, path, !NONE.equals(changed.getFromFile()), changed));
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("the patch " + name + " changes no file");
        }
        return new Step.FileChange(files);
    }

    private static String apply(Path root, String name, String path, boolean exists, UnifiedDiffFile changed) {
        Path target = root.resolve(path).normalize();
        if (!target.startsWith(root) || Files.isSymbolicLink(target)) {
            throw new IllegalArgumentException("the patch " + name + " changes " + path + ", outside the workspace");
        }
        String before;
        try {
            before = exists ? Files.readString(target, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new IllegalArgumentException("the patch " + name + " changes " + path + ", which cannot be read: " + e.getMessage());
        }
        List<String> lines = before.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(before.split("\r?\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        try {
            List<String> after = DiffUtils.patch(lines, changed.getPatch());
            boolean newline = before.isEmpty() || before.endsWith("\n");
            return after.isEmpty() ? "" : String.join("\n", after) + (newline ? "\n" : "");
        } catch (PatchFailedException e) {
            throw new IllegalArgumentException("the patch " + name + " does not apply to " + path + ": " + e.getMessage());
        }
    }
}
