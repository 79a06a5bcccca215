package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Instant;

/** The one JSON configuration both ends use: RFC 3339 instants, nulls left out. */
public final class Json {

    private static final ObjectMapper LENIENT = base().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    /** Made on first use: a tool that only reads answers never pays for it. */
    private static final class Strict {
        static final ObjectMapper MAPPER = strictMapper(true);
    }

    private Json() {
    }

    private static JsonMapper.Builder base() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("utc-seconds").addDeserializer(Instant.class, new InstantReader()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .serializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /**
     * A request means exactly what it says or is refused: no unknown or repeated fields, no second
     * document after the first, and no silent conversions between JSON types ({@code "7"} or
     * {@code 7.5} for a count, {@code 5} for a model name).
     *
     * @param rowReader whether ingest rows take {@link RollupRowReader}; without it only for the
     *        test that holds the reader to the record's general deserializer
     */
    static ObjectMapper strictMapper(boolean rowReader) {
        JsonMapper.Builder strict = base()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        if (rowReader) {
            strict.addModule(new SimpleModule("rollup-rows").setDeserializerModifier(RollupRowReader.modifier()));
        }
        strict.withCoercionConfig(LogicalType.Textual, text -> text
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
        return strict.build();
    }

    /**
     * Reads instants as the JSR-310 module does, with a fast path for the form every CCP client
     * sends, {@code 2026-11-26T10:00:00Z}: an ingest batch holds hundreds of them, and the general
     * ISO parser spent a tenth of the server's time on them. Anything else takes the general path,
     * so the two can only ever agree.
     */
    static final class InstantReader extends StdScalarDeserializer<Instant> {

        InstantReader() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                Instant fast = JsonValues.utcSeconds(parser.getText());
                if (fast != null) {
                    return fast;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }

    /** For reading answers: unknown fields are ignored so newer servers do not break older clients. */
    public static ObjectMapper lenient() {
        return LENIENT;
    }

    /** For reading requests: unknown fields are refused. */
    public static ObjectMapper strict() {
        return Strict.MAPPER;
    }
}
