package dev.ccp.sdk.testing;

import dev.ccp.sdk.Sleeper;
import dev.ccp.spi.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records each requested wait and moves the clock by it instead of waiting. */
public final class RecordingSleeper implements Sleeper {

    private final MutableClock clock;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    public RecordingSleeper(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        clock.advance(duration);
    }

    public List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    public List<Long> seconds() {
        return sleeps.stream().map(Duration::toSeconds).toList();
    }
}
