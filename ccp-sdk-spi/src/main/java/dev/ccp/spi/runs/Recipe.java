package dev.ccp.spi.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.spi.wire.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A recipe: what {@code ccp run NAME} does, read from {@code .ccp/recipes/NAME.json} in the workspace.
 *
 * <pre>{"title": "Format and test",
 *  "steps": [{"run": ["./mvnw", "spotless:apply"]},
 *            {"write": "CHANGELOG.md", "content": "…"},
 *            {"patch": "fix.diff"},
 *            {"note": "done"}]}</pre>
 *
 * Each entry has exactly one of {@code run} (with an optional {@code cwd}), {@code write} (with
 * {@code content}), {@code patch} (a unified diff file in the workspace) or {@code note}; anything
 * else is refused with the entry's number, so a typo never runs as something else.
 */
public record Recipe(String title, List<Entry> steps) {

    public static final int MAX_STEPS = 200;
    public static final int MAX_CONTENT = 1024 * 1024;

    public Recipe {
        Objects.requireNonNull(title, "title");
        steps = List.copyOf(steps);
    }

    /** One entry of a recipe. */
    public sealed interface Entry permits Run, Write, Patch, Say {
    }

    /** Run a command. */
    public record Run(List<String> argv, String cwd) implements Entry {
    }

    /** Write a file with this content. */
    public record Write(String path, String content) implements Entry {
    }

    /** Apply a unified diff from a file of the workspace. */
    public record Patch(String file) implements Entry {
    }

    /** Say something to the people following the run. */
    public record Say(String text) implements Entry {
    }

    /**
     * Reads a recipe.
     *
     * @throws IllegalArgumentException naming what is wrong, and where
     */
    public static Recipe parse(byte[] json) {
        JsonNode root;
        try {
            root = Json.lenient().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the recipe is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("the recipe cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a recipe is a JSON object with \"title\" and \"steps\"");
        }
        only(root, Set.of("title", "steps"), "the recipe");
        String title = text(root.get("title"), "\"title\"", 200);
        JsonNode steps = root.get("steps");
        if (steps == null || !steps.isArray() || steps.isEmpty()) {
            throw new IllegalArgumentException("\"steps\" must be a list of at least one step");
        }
        if (steps.size() > MAX_STEPS) {
            throw new IllegalArgumentException("a recipe has at most " + MAX_STEPS + " steps, this one " + steps.size());
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            entries.add(entry(steps.get(i), "step " + (i + 1)));
        }
        return new Recipe(title, entries);
    }

    private static Entry entry(JsonNode step, String where) {
        if (step == null || !step.isObject()) {
            throw new IllegalArgumentException(where + " must be an object such as {\"run\": [\"make\"]}");
        }
        if (step.has("run")) {
            only(step, Set.of("run", "cwd"), where);
            JsonNode argv = step.get("run");
            if (!argv.isArray() || argv.isEmpty()) {
                throw new IllegalArgumentException(where + ": \"run\" must be a list: the program, then its arguments");
            }
            List<String> args = new ArrayList<>();
            for (JsonNode arg : argv) {
                args.add(text(arg, where + ": each of \"run\"", 4096));
            }
            return new Run(args, step.has("cwd") ? text(step.get("cwd"), where + ": \"cwd\"", 1024) : ".");
        }
        if (step.has("write")) {
            only(step, Set.of("write", "content"), where);
            JsonNode content = step.get("content");
            if (content == null || !content.isTextual()) {
                throw new IllegalArgumentException(where + ": \"write\" needs \"content\", the file's new text");
            }
            if (content.asText().length() > MAX_CONTENT) {
                throw new IllegalArgumentException(where + ": \"content\" is over " + MAX_CONTENT + " characters");
            }
            return new Write(text(step.get("write"), where + ": \"write\"", 1024), content.asText());
        }
        if (step.has("patch")) {
            only(step, Set.of("patch"), where);
            return new Patch(text(step.get("patch"), where + ": \"patch\"", 1024));
        }
        if (step.has("note")) {
            only(step, Set.of("note"), where);
            return new Say(text(step.get("note"), where + ": \"note\"", 4096));
        }
        throw new IllegalArgumentException(where + " must have one of \"run\", \"write\", \"patch\" or \"note\"");
    }

    private static void only(JsonNode object, Set<String> names, String where) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) {
                throw new IllegalArgumentException(where + " has \"" + name + "\", which is not one of " + names.stream().sorted()
                        .map(n -> "\"" + n + "\"").toList());
            }
        }
    }

    private static String text(JsonNode node, String what, int max) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new IllegalArgumentException(what + " must be a non-empty string");
        }
        if (node.asText().length() > max || node.asText().indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must be at most " + max + " characters, without NUL");
        }
        return node.asText();
    }
}
