package dev.ccp.spi.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-mapped files a tool reads at every start: what they read, and what they refuse. */
class JsonValuesTest {

    private static Object read(String json) throws IOException {
        return JsonValues.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryKindOfValueInDocumentOrder() throws IOException {
        Object value = read("{\"z\":1,\"a\":[true,false,null,\"s\",1.5,5000000000,123456789012345678901234567890],\"m\":{}}");

        assertThat(value).isEqualTo(Map.of("z", 1, "a", java.util.Arrays.asList(true, false, null, "s", 1.5, 5_000_000_000L,
                new BigInteger("123456789012345678901234567890")), "m", Map.of()));
        assertThat(List.copyOf(((Map<?, ?>) value).keySet())).isEqualTo(List.of("z", "a", "m"));
    }

    @Test
    void writesWhatItReads() throws IOException {
        String json = "{\"z\":1,\"a\":[true,false,null,\"s\\u0000\\\"\",1.5,5000000000],\"m\":{\"k\":\"v\"}}";
        byte[] written = JsonValues.write(read(json), false);

        assertThat(JsonValues.read(written)).isEqualTo(read(json));
        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{\"a\":1,\"a\":2}", "{} {}", "{\"a\":1", "[1,]", "{'a':1}", "nul", "{\"a\":01}"})
    void refusesWhatIsNotExactlyOneDocument(String json) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(IOException.class);
    }

    @Test
    void anErrorDoesNotQuoteTheInput() {
        assertThatThrownBy(() -> read("{\"refresh_token\":\"secret-value\" \"x\"}"))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-value"));
    }

    @Test
    void typedMembersSayWhatIsWrong() throws IOException {
        Map<String, Object> object = JsonValues.readObject("{\"n\":1.0,\"s\":5,\"big\":99999999999999999999,\"t\":\"yesterday\"}"
                .getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> JsonValues.requiredLong(object, "n")).hasMessage("\"n\" is not a whole number");
        assertThatThrownBy(() -> JsonValues.requiredLong(object, "big")).hasMessage("\"big\" is not a whole number");
        assertThatThrownBy(() -> JsonValues.requiredLong(object, "gone")).hasMessage("\"gone\" is missing");
        assertThatThrownBy(() -> JsonValues.string(object, "s")).hasMessage("\"s\" is not a string");
        assertThatThrownBy(() -> JsonValues.requiredString(object, "gone")).hasMessage("\"gone\" is missing");
        assertThatThrownBy(() -> JsonValues.instant(object, "t")).hasMessageStartingWith("\"t\" is not an instant");
        assertThatThrownBy(() -> JsonValues.readObject("[]".getBytes(StandardCharsets.UTF_8))).hasMessage("the document is not a JSON object");
    }

    @Test
    void instantsTakeTheFastPathOrTheGeneralOne() throws IOException {
        Map<String, Object> object = JsonValues.readObject(
                "{\"s\":\"2026-12-01T09:07:25Z\",\"ns\":\"2026-12-01T09:07:25.373024025Z\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(JsonValues.instant(object, "s")).isEqualTo(Instant.parse("2026-12-01T09:07:25Z"));
        assertThat(JsonValues.instant(object, "ns")).isEqualTo(Instant.parse("2026-12-01T09:07:25.373024025Z"));
        assertThat(JsonValues.instant(object, "absent")).isNull();
    }

    @Test
    void refusesToWriteWhatIsNotAPlainValue() {
        assertThatThrownBy(() -> JsonValues.write(List.of(new Object()), false)).isInstanceOf(IllegalArgumentException.class);
    }
}
