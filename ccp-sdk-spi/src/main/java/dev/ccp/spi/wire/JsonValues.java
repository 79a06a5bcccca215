package dev.ccp.spi.wire;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as plain Java values, read and written with Jackson's streaming parser alone: objects are
 * {@code Map<String, Object>} (in document order), arrays {@code List<Object>}, then {@code String},
 * {@code Boolean}, {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double} and null.
 *
 * <p>For what a tool reads at every start (credentials, pinned keys, the license pack): building an
 * {@code ObjectMapper} and its deserializers cost more than everything else such a start does, so
 * these small, fixed documents are mapped by hand. The wire records of the HTTP API keep {@link Json}.
 */
public final class JsonValues {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonValues() {
    }

    /**
     * One JSON document. A repeated member name, a second document after the first, or anything that
     * is not JSON is an error.
     */
    public static Object read(byte[] json) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() == null) {
                throw new IOException("no JSON document");
            }
            Object value = value(parser);
            if (parser.nextToken() != null) {
                throw new IOException("more than one JSON document");
            }
            return value;
        } catch (JacksonException e) {
            // The parser's own words, without the location text that quotes the input.
            throw new IOException(e.getOriginalMessage(), e);
        }
    }

    /** One JSON document that must be an object. */
    public static Map<String, Object> readObject(byte[] json) throws IOException {
        return object(read(json), "the document");
    }

    private static Object value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.put(name, value(parser));
                }
                yield object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser));
                }
                yield array;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + token);
        };
    }

    /** Writes plain values (as {@link #read} gives them) as JSON, in the maps' own order. */
    public static byte[] write(Object value, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            if (pretty) {
                generator.useDefaultPrettyPrinter();
            }
            write(generator, value);
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> member : map.entrySet()) {
                generator.writeFieldName((String) member.getKey());
                write(generator, member.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof List<?> list) {
            generator.writeStartArray();
            for (Object item : list) {
                write(generator, item);
            }
            generator.writeEndArray();
        } else if (value instanceof String text) {
            generator.writeString(text);
        } else if (value instanceof Boolean bool) {
            generator.writeBoolean(bool);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            generator.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger big) {
            generator.writeNumber(big);
        } else if (value instanceof BigDecimal decimal) {
            generator.writeNumber(decimal);
        } else if (value instanceof Double || value instanceof Float) {
            generator.writeNumber(((Number) value).doubleValue());
        } else {
            throw new IllegalArgumentException("not a plain JSON value: " + value.getClass().getSimpleName());
        }
    }

    /** {@code value} as a JSON object; {@code what} names it in the error. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value, String what) throws IOException {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IOException(what + " is not a JSON object");
    }

    /** A member that must be a string when present; null when absent or null. */
    public static String string(Map<String, Object> object, String name) throws IOException {
        Object value = object.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new IOException("\"" + name + "\" is not a string");
    }

    /** A member that must be present and a string. */
    public static String requiredString(Map<String, Object> object, String name) throws IOException {
        String value = string(object, name);
        if (value == null) {
            throw new IOException("\"" + name + "\" is missing");
        }
        return value;
    }

    /** A member that must be present and a whole number that fits in a long. */
    public static long requiredLong(Map<String, Object> object, String name) throws IOException {
        Object value = object.get(name);
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw new IOException("\"" + name + "\" is " + (value == null ? "missing" : "not a whole number"));
    }

    /** A member that must be an RFC 3339 instant when present; null when absent or null. */
    public static Instant instant(Map<String, Object> object, String name) throws IOException {
        String text = string(object, name);
        if (text == null) {
            return null;
        }
        Instant fast = utcSeconds(text);
        if (fast != null) {
            return fast;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw new IOException("\"" + name + "\" is not an instant: " + e.getMessage(), e);
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ssZ} as an instant, or null for any other text: the form every CCP
     * client sends, parsed without the general ISO parser (an ingest batch holds hundreds of them,
     * and that parser spent a tenth of the server's time on them).
     */
    static Instant utcSeconds(String text) {
        if (text.length() != 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        return Instant.ofEpochSecond(LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second);
    }

    /** The decimal number in {@code text[from, from + count)}, or -1 if any of it is not an ASCII digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
