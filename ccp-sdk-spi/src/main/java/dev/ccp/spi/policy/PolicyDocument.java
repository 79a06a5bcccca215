package dev.ccp.spi.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@code ccp.policy/v1} document, read for a host tool to enforce. The server validates every
 * document against {@code ccp.policy.v1.schema.json} (next to this class) before it signs it; this
 * view reads leniently, so a field a newer server adds is ignored rather than fatal.
 *
 * <p>An absent rule restricts nothing: the empty policy {@code {"schema":"ccp.policy/v1"}} allows
 * every model, allows offloading and denies no command or path.
 */
public final class PolicyDocument {

    public static final String SCHEMA = "ccp.policy/v1";
    /** The JSON Schema of the document, as a class-path resource of this package. */
    public static final String SCHEMA_RESOURCE = "/dev/ccp/spi/policy/ccp.policy.v1.schema.json";

    private static final ObjectMapper READER = JsonMapper.builder().build();

    private final JsonNode json;
    private final String description;
    private final Matcher modelsAllowed;
    private final Matcher modelsDenied;
    private final boolean offloadAllowed;
    private final Matcher offloadModels;
    private final long offloadMinTokensIn;
    private final Matcher commandsDenied;
    private final Matcher pathsDenied;
    private final Review review;
    private final Matcher reviewed;
    private final Matcher reviewIgnored;

    private PolicyDocument(JsonNode json, Raw raw) {
        this.json = json;
        this.description = raw.description();
        Models models = raw.models() == null ? new Models(null, null) : raw.models();
        Offload offload = raw.offload() == null ? new Offload(null, null, null) : raw.offload();
        this.modelsAllowed = Matcher.plain(models.allow());
        this.modelsDenied = Matcher.plain(models.deny());
        this.offloadAllowed = offload.allowed() == null || offload.allowed();
        this.offloadModels = Matcher.plain(offload.models());
        this.offloadMinTokensIn = offload.minTokensIn() == null ? 0 : offload.minTokensIn();
        this.commandsDenied = Matcher.plain(raw.commands() == null ? null : raw.commands().deny());
        this.pathsDenied = Matcher.path(raw.paths() == null ? null : raw.paths().deny());
        this.review = raw.review() == null ? Review.NONE : raw.review().withDefaults();
        this.reviewed = Matcher.path(review.paths());
        this.reviewIgnored = Matcher.path(review.ignorePaths());
    }

    /**
     * Reads a document.
     *
     * @throws IllegalArgumentException when it is not a {@code ccp.policy/v1} object
     */
    public static PolicyDocument of(JsonNode json) {
        Objects.requireNonNull(json, "json");
        if (!json.isObject() || !SCHEMA.equals(json.path("schema").asText(null))) {
            throw new IllegalArgumentException("not a " + SCHEMA + " document");
        }
        try {
            return new PolicyDocument(json, READER.treeToValue(json, Raw.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a " + SCHEMA + " document: " + e.getMessage(), e);
        }
    }

    /** The document as it was signed. */
    public JsonNode json() {
        return json.deepCopy();
    }

    public String description() {
        return description;
    }

    /** Whether a model may be used: it matches {@code models.allow} (when there is one) and no {@code models.deny}. */
    public boolean allowsModel(String model) {
        String id = normalize(model);
        return (modelsAllowed.isEmpty() || modelsAllowed.matches(id)) && !modelsDenied.matches(id);
    }

    /**
     * Whether a request of {@code tokensIn} tokens may go to the Z.ai model {@code model}: offloading is
     * allowed, the model is one of {@code offload.models} (when listed) and may be used at all, and the
     * request is at least {@code offload.min_tokens_in}.
     */
    public boolean mayOffload(String model, long tokensIn) {
        String id = normalize(model);
        return offloadAllowed
                && (offloadModels.isEmpty() || offloadModels.matches(id))
                && allowsModel(id)
                && tokensIn >= offloadMinTokensIn;
    }

    /** Whether a command line matches {@code commands.deny}; runs of white space count as one space. */
    public boolean deniesCommand(String commandLine) {
        return commandsDenied.matches(commandLine.strip().replaceAll("\\s+", " "));
    }

    /** Whether a workspace-relative path matches {@code paths.deny}; {@code \} counts as {@code /}. */
    public boolean deniesPath(String path) {
        return pathsDenied.matches(relative(path));
    }

    public Review review() {
        return review;
    }

    /**
     * Whether a change to this workspace-relative path needs a person's review: the review rules
     * are on, and it matches {@code review.paths} and not {@code review.ignore_paths}.
     */
    public boolean reviewsPath(String path) {
        String normal = relative(path);
        return review.enabled() && reviewed.matches(normal) && !reviewIgnored.matches(normal);
    }

    /** A workspace-relative path as the globs see it: {@code /} between folders, no leading {@code ./}. */
    private static String relative(String path) {
        String normal = path.replace('\\', '/');
        while (normal.startsWith("./")) {
            normal = normal.substring(2);
        }
        return normal;
    }

    private static String normalize(String model) {
        return Objects.requireNonNull(model, "model").strip().toLowerCase(Locale.ROOT);
    }

    /**
     * The rules for the pull-request reviewer.
     *
     * @param failOn {@code never}, {@code error} or {@code warning}: which findings fail the check
     */
    public record Review(
            boolean enabled,
            List<String> paths,
            @JsonProperty("ignore_paths") List<String> ignorePaths,
            @JsonProperty("fail_on") String failOn,
            @JsonProperty("max_comments") Integer maxComments) {

        static final Review NONE = new Review(false, List.of(), List.of(), "error", 50);

        Review withDefaults() {
            return new Review(enabled, paths == null ? List.of() : List.copyOf(paths),
                    ignorePaths == null ? List.of() : List.copyOf(ignorePaths),
                    failOn == null ? "error" : failOn, maxComments == null ? 50 : maxComments);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Raw(String schema, String description, Models models, Offload offload, Rules commands, Rules paths,
            Review review) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Models(List<String> allow, List<String> deny) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Offload(Boolean allowed, List<String> models, @JsonProperty("min_tokens_in") Long minTokensIn) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Rules(List<String> deny) {
    }

    /** A list of globs compiled once, since a host may ask on every model request. */
    private record Matcher(List<Pattern> patterns) {

        static Matcher plain(List<String> globs) {
            return new Matcher(globs == null ? List.of() : globs.stream().map(Glob::plain).toList());
        }

        static Matcher path(List<String> globs) {
            return new Matcher(globs == null ? List.of() : globs.stream().map(Glob::path).toList());
        }

        boolean isEmpty() {
            return patterns.isEmpty();
        }

        boolean matches(String text) {
            for (Pattern p : patterns) {
                if (p.matcher(text).matches()) {
                    return true;
                }
            }
            return false;
        }
    }
}
