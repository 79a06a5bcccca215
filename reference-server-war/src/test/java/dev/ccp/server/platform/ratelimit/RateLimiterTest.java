package dev.ccp.server.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.server.platform.database.Database;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.testing.TestDatabase;
import dev.ccp.spi.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    static final Duration MINUTE = Duration.ofMinutes(1);

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:10Z"));
    final Database database = TestDatabase.open();
    final Tx tx = TestDatabase.tx(database);
    final RateLimiter limiter = new RateLimiter(clock, database.entityManagerFactory());

    @AfterEach
    void tearDown() {
        database.close();
    }

    private int hits(String bucket) {
        return tx.call(em -> limiter.hits(em, bucket, MINUTE));
    }

    private int hit(String bucket) {
        return tx.call(em -> limiter.hit(em, bucket, MINUTE));
    }

    private boolean exhausted(String bucket) {
        return tx.call(em -> limiter.exhausted(em, bucket, 2, MINUTE));
    }

    @Test
    void countsHitsPerBucketAndWindow() {
        assertThat(hits("ingest:a")).isZero();
        assertThat(hit("ingest:a")).isEqualTo(1);
        assertThat(hit("ingest:a")).isEqualTo(2);
        assertThat(hit("ingest:b")).as("another bucket").isEqualTo(1);
        assertThat(hits("ingest:a")).isEqualTo(2);

        clock.advance(Duration.ofSeconds(50));
        assertThat(hits("ingest:a")).as("the next window starts empty").isZero();
        assertThat(hit("ingest:a")).isEqualTo(1);
        assertThat(limiter.untilNextWindow(MINUTE)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aRolledBackTransactionCountsNothing() {
        tx.run(em -> limiter.hit(em, "ingest:a", MINUTE));
        assertThatThrownBy(() -> tx.run(em -> {
            assertThat(limiter.hit(em, "ingest:a", MINUTE)).isEqualTo(2);
            throw new IllegalStateException("the work failed");
        })).hasMessage("the work failed");
        assertThat(hits("ingest:a")).isEqualTo(1);
    }

    @Test
    void exhaustedSeesTheHitsCounted() {
        assertThat(exhausted("guess:x")).isFalse();
        tx.run(em -> limiter.hit(em, "guess:x", MINUTE));
        tx.run(em -> {
            assertThat(limiter.exhausted(em, "guess:x", 2, MINUTE)).isFalse();
            limiter.hit(em, "guess:x", MINUTE);
        });
        assertThat(exhausted("guess:x")).isTrue();
    }

    @Test
    void windowsOlderThanTheAgeGivenArePruned() {
        hit("old");
        clock.advance(Duration.ofHours(25));
        hit("new");

        int pruned = tx.call(em -> limiter.prune(em, Duration.ofDays(1)));

        assertThat(pruned).isEqualTo(1);
        assertThat(hits("new")).isEqualTo(1);
        clock.advance(Duration.ofHours(-25));
        assertThat(hits("old")).isZero();
    }
}
