package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.spi.usage.Outcome;
import dev.ccp.spi.usage.UsageEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageLinesTest {

    static final String LINE = "{\"ts\":\"2026-11-26T10:15:00Z\",\"model\":\"claude-sonnet-4-5\",\"outcome\":\"ok\","
            + "\"latency_ms\":812,\"tokens_in\":1200,\"tokens_out\":340,\"offloaded\":false}";
    static final UsageEvent EVENT = new UsageEvent(Instant.parse("2026-11-26T10:15:00Z"), "claude-sonnet-4-5", Outcome.OK,
            812, 1200, 340, false);

    @Test
    void anEventIsTheDocumentedLine() {
        assertThat(UsageLines.format(EVENT)).isEqualTo(LINE);
    }

    @Test
    void theLineReadsBackAsTheEvent() {
        assertThat(UsageLines.parse(LINE)).isEqualTo(EVENT);
        assertThat(UsageLines.parse(" { \"offloaded\" : true, \"tokens_out\":0,\"tokens_in\":5,\"latency_ms\":0,\"outcome\":\"rate_limited\","
                + "\"model\":\"glm-4.6\",\"ts\":\"2026-11-26T10:15:00.250Z\"} ").offloaded()).isTrue();
    }

    @Test
    void eachKindOfBadLineSaysWhatIsWrong() {
        bad("{\"ts\":", "malformed JSON");
        bad("[1,2]", "expected a JSON object, got array");
        bad(LINE + " {}", "malformed JSON");
        bad(LINE.replace("}", ",\"prompt\":\"hello\"}"), "unknown field prompt");
        bad(LINE.replace(",\"offloaded\":false", ""), "missing field offloaded");
        bad(LINE.replace("claude-sonnet-4-5", "Claude Sonnet"), "model must match");
        bad(LINE.replace("\"ok\"", "\"fine\""), "outcome must be ok, error or rate_limited, was 'fine'");
        bad(LINE.replace("812", "-5"), "latency_ms must be between 0 and 86400000, was -5");
        bad(LINE.replace("1200", "-1"), "tokens_in must not be negative, was -1");
        bad(LINE.replace("812", "\"812\""), "latency_ms must be a whole number, was \"812\"");
        bad(LINE.replace("812", "8.5"), "latency_ms must be a whole number, was 8.5");
        bad(LINE.replace("false", "\"false\""), "offloaded must be true or false");
        bad(LINE.replace("2026-11-26T10:15:00Z", "yesterday"), "ts must be an ISO-8601 instant");
        bad(LINE.replace("\"model\":\"claude-sonnet-4-5\"", "\"model\":null"), "model must be a string, was null");
        bad(LINE.replace("}", ",\"model\":\"glm-4.6\"}"), "malformed JSON: Duplicate field 'model'");
    }

    private static void bad(String line, String message) {
        assertThatThrownBy(() -> UsageLines.parse(line)).as(line).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
