package dev.ccp.server.identity.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class UserCodesTest {

    @RepeatedTest(50)
    void generatedCodesUseOnlyTheAlphabetAndDisplayWithADash() {
        String code = UserCodes.generate(new SecureRandom());
        assertThat(code).matches("[BCDFGHJKLMNPQRSTVWXZ]{8}");
        assertThat(UserCodes.display(code)).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
    }

    @Test
    void typedCodesAreReadCaseInsensitivelyWithOrWithoutTheDash() {
        assertThat(UserCodes.normalize("WDJB-MJHT")).contains("WDJBMJHT");
        assertThat(UserCodes.normalize("wdjb-mjht")).contains("WDJBMJHT");
        assertThat(UserCodes.normalize("wdjbmjht")).contains("WDJBMJHT");
        assertThat(UserCodes.normalize(" WDJB MJHT ")).contains("WDJBMJHT");
    }

    @Test
    void somethingThatCannotBeACodeIsRefused() {
        assertThat(UserCodes.normalize("AEIO-UBCD")).isEmpty();
        assertThat(UserCodes.normalize("WDJB-MJH")).isEmpty();
        assertThat(UserCodes.normalize("WDJB-MJHTT")).isEmpty();
        assertThat(UserCodes.normalize("1234-5678")).isEmpty();
        assertThat(UserCodes.normalize(null)).isEmpty();
        assertThat(UserCodes.normalize("W".repeat(100))).isEmpty();
    }
}
