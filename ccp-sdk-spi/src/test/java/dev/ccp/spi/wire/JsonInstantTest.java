package dev.ccp.spi.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The fast path for instants agrees with the ISO parser wherever it answers, and leaves the rest to it. */
class JsonInstantTest {

    record At(Instant at) {
    }

    @Property
    void everyWholeSecondFromYear0To9999ReadsAsTheIsoParserReadsIt(
            @ForAll @LongRange(min = -62_167_219_200L, max = 253_402_300_799L) long epochSecond) {
        String text = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(epochSecond));
        assertThat(JsonValues.utcSeconds(text)).isEqualTo(Instant.parse(text));
    }

    @Property
    void textThatLooksAlmostRightIsEitherReadAlikeOrLeftToTheIsoParser(
            @ForAll @StringLength(20) @CharRange(from = '0', to = '9') String digits) {
        // Every digit position is free, so months, days, hours and seconds run out of range.
        String text = digits.substring(0, 4) + "-" + digits.substring(5, 7) + "-" + digits.substring(8, 10) + "T"
                + digits.substring(11, 13) + ":" + digits.substring(14, 16) + ":" + digits.substring(17, 19) + "Z";
        Instant fast = JsonValues.utcSeconds(text);
        Instant iso;
        try {
            iso = Instant.parse(text);
        } catch (DateTimeException e) {
            iso = null;
        }
        if (fast != null) {
            assertThat(fast).isEqualTo(iso);
        }
        if (iso == null) {
            assertThat(fast).isNull();
        }
    }

    @Test
    void otherFormsStillReadThroughTheIsoParser() throws Exception {
        assertThat(Json.strict().readValue("{\"at\":\"2026-11-26T10:00:00.250Z\"}", At.class).at())
                .isEqualTo(Instant.parse("2026-11-26T10:00:00.250Z"));
        assertThat(Json.strict().readValue("{\"at\":\"2026-11-26t10:00:00z\"}", At.class).at())
                .isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(Json.strict().readValue("{\"at\":\"2026-11-26T10:00:00Z\"}", At.class).at())
                .isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(Json.strict().readValue("{\"at\":1795687200}", At.class).at()).isEqualTo(Instant.ofEpochSecond(1_795_687_200L));
    }

    @Test
    void anImpossibleDateIsStillRefused() {
        assertThatThrownBy(() -> Json.strict().readValue("{\"at\":\"2026-02-30T10:00:00Z\"}", At.class))
                .isInstanceOf(JsonMappingException.class);
        assertThatThrownBy(() -> Json.strict().readValue("{\"at\":\"2026-13-01T10:00:00Z\"}", At.class))
                .isInstanceOf(JsonMappingException.class);
    }
}
