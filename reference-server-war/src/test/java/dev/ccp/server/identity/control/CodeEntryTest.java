package dev.ccp.server.identity.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.server.testing.Fixture;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 8628 §5.1: guessing user codes is bounded per address and for the whole page. */
class CodeEntryTest {

    @TempDir
    Path keys;
    Fixture f;

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private CodeEntry.Result enter(String code, String address) {
        return f.tx.call(em -> f.codeEntry.enter(em, code, address, f.clock.instant()));
    }

    private String pendingCode() {
        return f.tx.call(em -> f.deviceFlow.start(em, "ccp", null, null, f.clock.instant())).grant().userCode();
    }

    @Test
    void theRightCodeFindsItsGrant() {
        String code = pendingCode();
        assertThat(enter(code, "10.0.0.1").grant()).isNotNull();
    }

    @Test
    void tenWrongCodesFromOneAddressLockThatAddressOnly() {
        String code = pendingCode();
        for (int i = 0; i < 10; i++) {
            assertThat(enter("BBBB-BBBB", "10.0.0.1").status()).isEqualTo(400);
        }
        assertThat(enter(code, "10.0.0.1").status()).isEqualTo(429);
        assertThat(enter(code, "10.0.0.2").grant()).isNotNull();
    }

    @Test
    void aGuesserSpreadOverManyAddressesMeetsThePageWideBudget() {
        String code = pendingCode();
        int answered = 0;
        for (int address = 0; address < 30; address++) {
            for (int guess = 0; guess < 10; guess++) {
                if (enter("BBBB-BBBB", "10.0.1." + address).status() == 400) {
                    answered++;
                }
            }
        }
        assertThat(answered).as("wrong codes looked at within one minute").isEqualTo(f.config.deviceGuessesPerMinute());
        CodeEntry.Result meanwhile = enter(code, "10.0.2.1");
        assertThat(meanwhile.status()).as("even the right code is not looked at while the budget is spent").isEqualTo(429);
        assertThat(meanwhile.refusal()).contains("seconds");
        assertThat(meanwhile.retryAfter()).isPositive().isLessThanOrEqualTo(java.time.Duration.ofMinutes(1));
    }

    @Test
    void thePersonWhoseCodeWasCaughtInTheBudgetWaitsAMinuteNotFifteen() {
        String code = pendingCode();
        for (int i = 0; i < f.config.deviceGuessesPerMinute(); i++) {
            enter("BBBB-BBBB", "10.0.3." + i);
        }
        assertThat(enter(code, "10.0.4.1").status()).isEqualTo(429);
        f.clock.advance(Duration.ofMinutes(1));
        assertThat(enter(code, "10.0.4.1").grant()).isNotNull();
    }
}
