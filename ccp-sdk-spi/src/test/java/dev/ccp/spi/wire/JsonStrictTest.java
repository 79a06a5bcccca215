package dev.ccp.spi.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The request reader takes a document only when it means exactly what it says. */
class JsonStrictTest {

    private static final String ROW = "\"hour\":\"2026-11-26T10:00:00Z\",\"requests\":1,\"errors\":0,\"rate_limited\":0,"
            + "\"offloaded\":0,\"tokens_in\":1,\"tokens_out\":1,\"latency_histogram\":[1]";

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "\"1\"", "true", "1e3"})
    void aCountIsAWholeNumberNotAFractionTextOrBoolean(String revision) {
        assertThatThrownBy(() -> Json.strict().readValue("{\"model\":\"m\",\"revision\":" + revision + "," + ROW + "}", RollupRow.class))
                .isInstanceOf(JsonProcessingException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "5.5", "true"})
    void aNameIsAStringNotANumberOrBoolean(String model) {
        assertThatThrownBy(() -> Json.strict().readValue("{\"model\":" + model + ",\"revision\":1," + ROW + "}", RollupRow.class))
                .isInstanceOf(JsonProcessingException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"7\"", "7.5", "7.0"})
    void aBoxedNumberIsNotReadFromTextOrFractions(String k) {
        assertThatThrownBy(() -> Json.strict().readValue("{\"k_safety\":" + k + "}", OrgSettings.class))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void aRepeatedFieldIsRefusedRatherThanTheLastOneWinning() {
        assertThatThrownBy(() -> Json.strict().readValue("{\"k_safety\":7,\"k_safety\":3}", OrgSettings.class))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void aSecondDocumentAfterTheFirstIsRefused() {
        assertThatThrownBy(() -> Json.strict().readValue("{\"k_safety\":7} {\"k_safety\":3}", OrgSettings.class))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void wellTypedDocumentsStillRead() throws Exception {
        assertThat(Json.strict().readValue("{\"k_safety\":7}", OrgSettings.class).kSafety()).isEqualTo(7);
        assertThat(Json.strict().readValue("{\"model\":\"m\",\"revision\":3," + ROW + "}", RollupRow.class).revision()).isEqualTo(3);
    }

    @Test
    void answersAreStillReadLeniently() throws Exception {
        assertThat(Json.lenient().readValue("{\"k_safety\":7,\"later\":1}", OrgSettings.class).kSafety()).isEqualTo(7);
    }
}
