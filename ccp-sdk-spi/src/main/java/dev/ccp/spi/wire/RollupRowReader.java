package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.deser.std.CollectionDeserializer;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Reads a {@link RollupRow} for the strict mapper. An ingest batch holds up to a thousand rows, and
 * the record's general deserializer buffers each row's values for its constructor while the
 * parser's duplicate-key check fills a hash set per row; reading a 500-row batch this way takes
 * about a quarter less time.
 *
 * <p>A row as CCP clients write it (numbers, strings, an array of numbers) is read here directly,
 * and repeated keys are caught with a bit per field. Any value of another shape goes through the
 * record's own property, a field left out gets the record's own absent value, and an unknown field
 * the same refusal, in the same order. So every fault gets the answer the general deserializer
 * gives: the same message, path and place ({@code RollupRowReaderTest} holds the two to that over
 * thousands of bodies). A row that is not an object goes to the general deserializer.
 */
final class RollupRowReader extends DelegatingDeserializer {

    /** The row's JSON names in the record's order: the hour, the model, seven counts, the histogram. */
    private static final String[] FIELDS = Arrays.stream(RollupRow.class.getRecordComponents())
            .map(c -> c.getAccessor().getAnnotation(JsonProperty.class).value()).toArray(String[]::new);
    private static final Map<String, Integer> INDEX = IntStream.range(0, FIELDS.length).boxed()
            .collect(Collectors.toUnmodifiableMap(i -> FIELDS[i], i -> i));
    private static final int HOUR = 0;
    private static final int MODEL = 1;
    private static final int HISTOGRAM = 9;
    private static final int ALL = (1 << FIELDS.length) - 1;

    /** The record's properties by field index, once the general deserializer is resolved; null before. */
    private SettableBeanProperty[] properties;

    static {
        List<Class<?>> types = Arrays.stream(RollupRow.class.getRecordComponents()).<Class<?>>map(c -> c.getType()).toList();
        if (types.size() != 10 || types.get(HOUR) != Instant.class || types.get(MODEL) != String.class
                || types.get(HISTOGRAM) != List.class || types.subList(2, HISTOGRAM).stream().anyMatch(t -> t != long.class)) {
            throw new IllegalStateException("RollupRow changed shape; change RollupRowReader with it");
        }
    }

    RollupRowReader(JsonDeserializer<?> general) {
        super(general);
        properties = properties(general);
    }

    /** Puts the reader in front of the record's own deserializer. */
    static BeanDeserializerModifier modifier() {
        return new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription bean, JsonDeserializer<?> deserializer) {
                return bean.getBeanClass() == RollupRow.class ? new RollupRowReader(deserializer) : deserializer;
            }
        };
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> general) {
        return new RollupRowReader(general);
    }

    @Override
    public void resolve(DeserializationContext context) throws JsonMappingException {
        super.resolve(context);
        properties = properties(_delegatee);
    }

    private static SettableBeanProperty[] properties(JsonDeserializer<?> general) {
        if (!(general instanceof BeanDeserializerBase bean)) {
            return null;
        }
        SettableBeanProperty[] found = new SettableBeanProperty[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            found[i] = bean.findProperty(FIELDS[i]);
            if (found[i] == null || found[i].getValueDeserializer() == null) {
                return null;
            }
        }
        if (!((Object) found[HISTOGRAM].getValueDeserializer() instanceof CollectionDeserializer)) {
            return null;
        }
        return found;
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext context) throws IOException {
        SettableBeanProperty[] props = properties;
        if (props == null || !p.isExpectedStartObjectToken()) {
            return _delegatee.deserialize(p, context);
        }
        // The parser's own check keeps a hash set per object; the bits below do its work for this one.
        boolean dupCheck = p.isEnabled(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        if (dupCheck) {
            p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        }
        Instant hour = null;
        String model = null;
        long[] counts = new long[7];
        List<Long> histogram = null;
        int seen = 0;
        List<String> unknown = null;
        for (JsonToken t = next(p, seen, unknown, dupCheck); t == JsonToken.FIELD_NAME; t = next(p, seen, unknown, dupCheck)) {
            String name = p.currentName();
            int field = indexOf(name);
            if (field < 0) {
                // Refused once the row is read, as the record's deserializer, which buffers it till then, does.
                if (unknown == null) {
                    unknown = new ArrayList<>(2);
                } else if (dupCheck && unknown.contains(name)) {
                    throw duplicate(p, name);
                }
                unknown.add(name);
                nested(p, p.nextToken(), dupCheck);
                p.skipChildren();
                continue;
            }
            if (dupCheck && (seen & (1 << field)) != 0) {
                throw duplicate(p, name);
            }
            seen |= 1 << field;
            JsonToken value = nested(p, p.nextToken(), dupCheck);
            try {
                switch (field) {
                    case HOUR -> {
                        Instant fast = value == JsonToken.VALUE_STRING ? JsonValues.utcSeconds(p.getText()) : null;
                        hour = fast != null ? fast : (Instant) props[field].deserialize(p, context);
                    }
                    case MODEL -> model = value == JsonToken.VALUE_STRING ? p.getText() : (String) props[field].deserialize(p, context);
                    case HISTOGRAM -> histogram = value == JsonToken.START_ARRAY ? histogram(p, context, props[field], dupCheck)
                            : castList(props[field].deserialize(p, context));
                    default -> counts[field - 2] = isLong(p, value) ? p.getLongValue() : number(props[field].deserialize(p, context));
                }
            } catch (Exception e) {
                throw wrap(e, RollupRow.class, name);
            }
        }
        if (dupCheck) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        }
        if (seen != ALL) {
            for (int field = 0; field < FIELDS.length; field++) {
                if ((seen & (1 << field)) == 0) {
                    Object absent = absent(context, props[field]);
                    switch (field) {
                        case HOUR -> hour = (Instant) absent;
                        case MODEL -> model = (String) absent;
                        case HISTOGRAM -> histogram = castList(absent);
                        default -> counts[field - 2] = number(absent);
                    }
                }
            }
        }
        if (unknown != null) {
            context.handleUnknownProperty(p, _delegatee, RollupRow.class, unknown.get(0));
        }
        return new RollupRow(hour, model, counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], histogram);
    }

    private static int indexOf(String name) {
        Integer field = INDEX.get(name);
        return field == null ? -1 : field;
    }

    /**
     * The next token, a key or the row's end. The parser reads a key's value in the same step; a
     * repeated key whose value is malformed is refused for the repeat, as the parser's own check,
     * which runs between the two, refuses it.
     */
    private static JsonToken next(JsonParser p, int seen, List<String> unknown, boolean dupCheck) throws IOException {
        try {
            return p.nextToken();
        } catch (JsonParseException e) {
            String name = p.getParsingContext().getCurrentName();
            int field = name == null ? -1 : indexOf(name);
            boolean repeated = field >= 0 ? (seen & (1 << field)) != 0 : unknown != null && unknown.contains(name);
            if (dupCheck && repeated && p.currentToken() == JsonToken.FIELD_NAME) {
                throw duplicate(p, name);
            }
            throw e;
        }
    }

    /**
     * Puts the parser's duplicate-key check back for an object or array inside the row, which the
     * record's deserializer would have read with it.
     */
    private static JsonToken nested(JsonParser p, JsonToken value, boolean dupCheck) {
        if (dupCheck && (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY)) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        }
        return value;
    }

    /** A whole number that fits a long, which is all the general path would read it as too. */
    private static boolean isLong(JsonParser p, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
    }

    /** The bucket counts: whole numbers and nulls here, anything else through the list's own element reader. */
    private static List<Long> histogram(JsonParser p, DeserializationContext context, SettableBeanProperty prop, boolean dupCheck)
            throws IOException {
        List<Long> counts = new ArrayList<>(12);
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (isLong(p, t)) {
                counts.add(p.getLongValue());
            } else if (t == JsonToken.VALUE_NULL) {
                counts.add(null);
            } else {
                nested(p, t, dupCheck);
                JsonDeserializer<Object> element = ((CollectionDeserializer) (Object) prop.getValueDeserializer()).getContentDeserializer();
                try {
                    counts.add((Long) element.deserialize(p, context));
                } catch (Exception e) {
                    throw wrap(e, counts, counts.size());
                }
            }
        }
        return counts;
    }

    /** What the record's deserializer puts in for a field the row leaves out, or its refusal. */
    private static Object absent(DeserializationContext context, SettableBeanProperty prop) throws IOException {
        try {
            Object absent = prop.getNullValueProvider().getAbsentValue(context);
            return absent != null ? absent : prop.getValueDeserializer().getAbsentValue(context);
        } catch (DatabindException e) {
            e.prependPath(RollupRow.class, prop.getName());
            throw e;
        }
    }

    private static IOException wrap(Exception e, Object from, Object where) throws IOException {
        if (e instanceof IOException io && !(e instanceof JacksonException)) {
            throw io;
        }
        return where instanceof Integer index ? JsonMappingException.wrapWithPath(e, from, index)
                : JsonMappingException.wrapWithPath(e, from, (String) where);
    }

    /** As the parser reports a repeated key: at the end of the key's name. */
    private static JsonParseException duplicate(JsonParser p, String name) {
        JsonLocation at = p.currentTokenLocation();
        int length = name.length() + 2;
        JsonLocation end = new JsonLocation(at.contentReference(), at.getByteOffset() < 0 ? -1 : at.getByteOffset() + length,
                at.getCharOffset() < 0 ? -1 : at.getCharOffset() + length, at.getLineNr(), at.getColumnNr() + length);
        return new JsonParseException(p, "Duplicate field '" + name + "'", end);
    }

    private static long number(Object value) {
        return value == null ? 0 : (Long) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Long> castList(Object value) {
        return (List<Long>) value;
    }
}
