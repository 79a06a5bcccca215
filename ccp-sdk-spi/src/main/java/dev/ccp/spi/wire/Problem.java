package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * RFC 9457 problem details ({@code application/problem+json}). {@code type} is a URI naming the kind
 * of problem; clients branch on it, people read {@code detail}.
 *
 * @param upgradeUrl where to upgrade, when the problem is a missing entitlement
 * @param errors each wrong field of a refused document, when there are several to name
 */
public record Problem(
        @JsonProperty("type") String type,
        @JsonProperty("title") String title,
        @JsonProperty("status") int status,
        @JsonProperty("detail") String detail,
        @JsonProperty("instance") String instance,
        @JsonProperty("upgrade_url") String upgradeUrl,
        @JsonProperty("errors") List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://ccp.dev/problems/";

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, null, null, null);
    }

    /** This problem naming the wrong fields. */
    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, upgradeUrl, List.copyOf(fieldErrors));
    }

    /**
     * One wrong field, as RFC 9457 §3 suggests for validation problems.
     *
     * @param pointer an RFC 6901 JSON Pointer to the field in the request body
     * @param detail what is wrong with it
     */
    public record FieldError(@JsonProperty("pointer") String pointer, @JsonProperty("detail") String detail) {
    }

    /** The last path segment of {@code type}, such as {@code no-seat}. */
    public String slug() {
        if (type == null) {
            return "about:blank";
        }
        return type.startsWith(TYPE_BASE) ? type.substring(TYPE_BASE.length()) : type;
    }
}
