package dev.ccp.sdk;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ccp.spi.usage.Outcome;
import dev.ccp.spi.usage.UsageEvent;
import dev.ccp.spi.wire.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JSON Lines form of usage events, one {@link UsageEvent} per line, as {@code ccp db export}
 * writes and {@code ccp db import} reads them:
 * {@code {"ts":"2026-11-26T10:15:00Z","model":"claude-sonnet-4-5","outcome":"ok","latency_ms":812,"tokens_in":1200,"tokens_out":340,"offloaded":false}}.
 *
 * <p>Reading is strict, because an import is all or nothing and a person must be able to fix the
 * file from the messages: every field is required and typed exactly (no numbers in strings, no
 * fractions), unknown and repeated fields are refused, and the message says what is wrong.
 */
public final class UsageLines {

    private static final List<String> FIELDS = List.of("ts", "model", "outcome", "latency_ms", "tokens_in", "tokens_out", "offloaded");
    private static final Set<String> KNOWN = Set.copyOf(FIELDS);
    private static final ObjectReader READER = Json.strict().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private UsageLines() {
    }

    /** The event's one line, without a line break; equal events always give the same bytes. */
    public static String format(UsageEvent event) {
        try {
            return Json.lenient().writeValueAsString(event);
        } catch (JacksonException e) {
            throw new IllegalStateException("a usage event does not serialize", e);
        }
    }

    /**
     * Reads one line.
     *
     * @throws IllegalArgumentException saying what is wrong with it, for a person to fix
     */
    public static UsageEvent parse(String line) {
        JsonNode node;
        try {
            node = READER.readTree(line);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KNOWN.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown field" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " (allowed: " + String.join(", ", FIELDS) + ")");
        }
        List<String> missing = FIELDS.stream().filter(f -> !node.has(f)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing field" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing));
        }
        Instant ts = instant(node.get("ts"));
        String model = text(node.get("model"), "model");
        Outcome outcome = Outcome.parse(text(node.get("outcome"), "outcome"));
        long latency = whole(node.get("latency_ms"), "latency_ms");
        long in = whole(node.get("tokens_in"), "tokens_in");
        long out = whole(node.get("tokens_out"), "tokens_out");
        JsonNode offloaded = node.get("offloaded");
        if (!offloaded.isBoolean()) {
            throw new IllegalArgumentException("offloaded must be true or false, was " + offloaded);
        }
        if (in < 0 || out < 0) {
            throw new IllegalArgumentException((in < 0 ? "tokens_in" : "tokens_out") + " must not be negative, was " + Math.min(in, out));
        }
        return new UsageEvent(ts, model, outcome, latency, in, out, offloaded.booleanValue());
    }

    private static Instant instant(JsonNode node) {
        String text = text(node, "ts");
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("ts must be an ISO-8601 instant such as 2026-11-26T10:15:00Z, was '" + text + "'");
        }
    }

    private static String text(JsonNode node, String field) {
        if (!node.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string, was " + node);
        }
        return node.textValue();
    }

    private static long whole(JsonNode node, String field) {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new IllegalArgumentException(field + " must be a whole number, was " + node);
        }
        return node.longValue();
    }
}
