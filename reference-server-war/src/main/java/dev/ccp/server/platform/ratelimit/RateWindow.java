package dev.ccp.server.platform.ratelimit;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One counter of {@link RateLimiter}. */
@Entity
@Table(name = "rate_windows")
public class RateWindow {

    @EmbeddedId
    private Key key;

    @Column(name = "hits", nullable = false)
    private int hits;

    protected RateWindow() {
    }

    RateWindow(Key key) {
        this.key = key;
        this.hits = 0;
    }

    int hits() {
        return hits;
    }

    @Embeddable
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;

        @Column(name = "bucket", nullable = false, length = 200)
        private String bucket;

        @Column(name = "window_start", nullable = false)
        private Instant windowStart;

        protected Key() {
        }

        Key(String bucket, Instant windowStart) {
            this.bucket = bucket;
            this.windowStart = windowStart;
        }

        String bucket() {
            return bucket;
        }

        Instant windowStart() {
            return windowStart;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.bucket.equals(bucket) && k.windowStart.equals(windowStart);
        }

        @Override
        public int hashCode() {
            return Objects.hash(bucket, windowStart);
        }
    }
}
