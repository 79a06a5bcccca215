package dev.ccp.spi.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The row reader answers every body as the record's general deserializer does: the same rows for
 * a good body, and for a bad one the same kind of refusal, message, path and place.
 */
class RollupRowReaderTest {

    private static final ObjectMapper GENERAL = Json.strictMapper(false);
    private static final String[] FIELDS = {"hour", "model", "revision", "requests", "errors", "rate_limited", "offloaded",
            "tokens_in", "tokens_out", "latency_histogram"};
    private static final String[] GOOD = {"\"2026-11-26T10:00:00Z\"", "\"claude-sonnet-4\"", "3", "4", "1", "0", "2", "1200", "300",
            "[1,1,0,0,0,0,0,0,2,0]"};
    private static final String[] VALUES = {"null", "\"x\"", "\"7\"", "\"\"", "1.5", "1e3", "-0", "true", "false", "{}", "{\"a\":1}",
            "{\"a\":1,\"a\":2}", "[]", "[1]", "[null]", "[\"1\"]", "[1.5]", "[[1]]", "[99999999999999999999]", "99999999999999999999",
            "-9223372036854775808", "9223372036854775807", "-1", "0", "\"2026-11-26T10:00:00Z\"", "\"2026-11-26T10:00:00.000Z\"",
            "\"2026-11-26T10:00:00+01:00\"", "\"2026-11-26T10:00:00\"", "\"2026-13-26T10:00:00Z\"", "1764151200", "1764151200.5",
            "\"\\u0000\"", "\"a\\\"b\"", "\"\u00e9t\u00e9\"", "NaN", "'x'", "01", "1.", "-", "tru", "\"unterminated"};

    private static final String ESCAPED = "\"mod\\u0065l\"";

    private static String row(int skip, String extra, int at, String... values) {
        List<String> fields = new ArrayList<>();
        for (int f = 0; f < FIELDS.length; f++) {
            if (f != skip) {
                fields.add("\"" + FIELDS[f] + "\":" + values[f]);
            }
        }
        if (extra != null) {
            fields.add(Math.min(at, fields.size()), extra);
        }
        return "{" + String.join(",", fields) + "}";
    }

    private static String batch(String middle) {
        String good = row(-1, null, 0, GOOD);
        return "{\"rows\":[" + good + ", " + middle + ",\n" + good + "]}";
    }

    private static List<String> bodies() {
        Set<String> bodies = new LinkedHashSet<>();
        bodies.add(batch(row(-1, null, 0, GOOD)));
        for (String v : VALUES) {
            bodies.add(batch(v));
            for (int f = 0; f < FIELDS.length; f++) {
                String[] values = GOOD.clone();
                values[f] = v;
                bodies.add(batch(row(-1, null, 0, values)));
                bodies.add(batch(row(-1, "\"" + FIELDS[f] + "\":" + v, 0, GOOD)));
                bodies.add(batch(row(-1, "\"" + FIELDS[f] + "\":" + v, FIELDS.length, GOOD)));
                bodies.add(batch(row(-1, "\"" + FIELDS[f] + "\":" + v, f + 1, GOOD)));
            }
            for (int b = 0; b < 10; b++) {
                String[] values = GOOD.clone();
                List<String> counts = new ArrayList<>(List.of("1", "1", "0", "0", "0", "0", "0", "0", "2", "0"));
                counts.set(b, v);
                values[9] = "[" + String.join(",", counts) + "]";
                bodies.add(batch(row(-1, null, 0, values)));
            }
            for (int at : new int[] {0, 4, 9}) {
                bodies.add(batch(row(-1, "\"prompt\":" + v, at, GOOD)));
            }
        }
        for (int f = 0; f < FIELDS.length; f++) {
            bodies.add(batch(row(f, null, 0, GOOD)));
            bodies.add(batch(row(f, "\"other\":1", 3, GOOD)));
        }
        bodies.add(batch(row(-1, ESCAPED + ":\"m\"", 10, GOOD)));
        bodies.add(batch("{}"));
        String good = batch(row(-1, null, 0, GOOD));
        int from = good.indexOf(", {") + 2;
        int to = good.indexOf(",\n");
        for (int i = from; i <= to; i++) {
            bodies.add(good.substring(0, i));
            for (String stray : List.of(",", "}", "]", ":", "x", "\"", " ", "{", "[")) {
                bodies.add(good.substring(0, i) + stray + good.substring(i));
            }
            bodies.add(good.substring(0, i) + good.substring(i + 1));
        }
        return new ArrayList<>(bodies);
    }

    /** Everything a client can be told about an outcome. */
    private static String outcome(ObjectMapper mapper, String body) {
        try {
            return "read " + mapper.readValue(body.getBytes(StandardCharsets.UTF_8), RollupBatch.class);
        } catch (JsonProcessingException e) {
            StringBuilder said = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getOriginalMessage());
            if (e.getLocation() != null) {
                said.append(" at line ").append(e.getLocation().getLineNr()).append(", column ").append(e.getLocation().getColumnNr());
            }
            if (e instanceof JsonMappingException mapping) {
                said.append(" path ").append(mapping.getPath().stream()
                        .map(r -> r.getIndex() >= 0 ? "[" + r.getIndex() + "]" : "." + r.getFieldName()).collect(Collectors.joining()));
            }
            if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
                said.append(" expected ").append(mismatch.getTargetType().getName());
            }
            if (e instanceof UnrecognizedPropertyException unknown) {
                said.append(" known ").append(unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().toList());
            }
            return said.toString();
        } catch (Exception e) {
            return "failed " + e;
        }
    }

    @Test
    void everyBodyIsAnsweredAsTheGeneralDeserializerAnswersIt() {
        List<String> bodies = bodies();
        List<String> differences = new ArrayList<>();
        int refused = 0;
        for (String body : bodies) {
            String general = outcome(GENERAL, body);
            String reader = outcome(Json.strict(), body);
            if (body.contains(ESCAPED)) {
                // The parser reports a repeat at the end of the key as written; the reader knows only
                // the key as read, so a key spelled with escapes is placed that many columns earlier.
                general = general.replaceAll("column \\d+", "column ?");
                reader = reader.replaceAll("column \\d+", "column ?");
            }
            if (!general.equals(reader)) {
                differences.add(body + "\n  general: " + general + "\n  reader:  " + reader);
            }
            refused += general.startsWith("read ") ? 0 : 1;
            assertThat(reader).doesNotStartWith("failed");
        }
        assertThat(refused).as("most bodies are bad").isGreaterThan(bodies.size() / 2);
        assertThat(differences).as(differences.size() + " of " + bodies.size() + " differ").isEmpty();
    }

    @Test
    void aRepeatedFieldInARowIsRefusedWithAllOtherParsersChecksInPlace() {
        String twice = batch(row(-1, "\"tokens_in\":5", FIELDS.length, GOOD));
        assertThat(outcome(Json.strict(), twice)).contains("Duplicate field 'tokens_in'").contains("path .rows[1]");
        String rowsTwice = "{\"rows\":[],\"rows\":[]}";
        assertThat(outcome(Json.strict(), rowsTwice)).contains("Duplicate field 'rows'");
        String afterRows = "{\"rows\":[" + row(-1, null, 0, GOOD) + "],\"rows\":[]}";
        assertThat(outcome(Json.strict(), afterRows)).contains("Duplicate field 'rows'");
    }

    @Test
    void requestsReadRowsThroughTheReader() throws Exception {
        ObjectMapper strict = Json.strict();
        DefaultDeserializationContext context = ((DefaultDeserializationContext) strict.getDeserializationContext())
                .createInstance(strict.getDeserializationConfig(), null, null);
        assertThat(context.findRootValueDeserializer(context.constructType(RollupRow.class))).isInstanceOf(RollupRowReader.class);
        assertThat(context.findRootValueDeserializer(context.constructType(OrgSettings.class))).isNotInstanceOf(RollupRowReader.class);
    }

    @Test
    void aGoodRowReadsToTheSameRecord() throws Exception {
        RollupRow row = Json.strict().readValue(row(-1, null, 0, GOOD), RollupRow.class);
        assertThat(row).isEqualTo(GENERAL.readValue(row(-1, null, 0, GOOD), RollupRow.class));
        assertThat(row.tokensIn()).isEqualTo(1200);
        assertThat(row.latencyHistogram()).containsExactly(1L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 2L, 0L);
    }
}
