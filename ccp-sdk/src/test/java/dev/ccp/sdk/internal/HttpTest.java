package dev.ccp.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which error answers mean "try again later". */
class HttpTest {

    @Test
    void theApplicationServersOwnPagesMeanNotServingYet() {
        assertThat(Http.notServing(404, "text/html")).isTrue();
        assertThat(Http.notServing(500, "text/html;charset=UTF-8")).isTrue();
        assertThat(Http.notServing(500, "")).isTrue();
    }

    @Test
    void unavailableAndGatewayAnswersMeanNotServingWhateverTheirBody() {
        assertThat(Http.notServing(503, "application/problem+json")).isTrue();
        assertThat(Http.notServing(502, "text/html")).isTrue();
        assertThat(Http.notServing(504, "")).isTrue();
    }

    @Test
    void theApplicationsOwnRefusalsAreFinal() {
        assertThat(Http.notServing(404, "application/problem+json")).isFalse();
        assertThat(Http.notServing(500, "application/problem+json")).isFalse();
        assertThat(Http.notServing(400, "text/html")).isFalse();
        assertThat(Http.notServing(401, "")).isFalse();
    }
}
