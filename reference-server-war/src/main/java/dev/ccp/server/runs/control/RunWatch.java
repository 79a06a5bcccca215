package dev.ccp.server.runs.control;

import dev.ccp.server.platform.database.CounterWatch;
import javax.sql.DataSource;

/**
 * The long polls on runs' events, woken when a run's event count moves on, on whichever node the
 * event was written. A woken request reads the new events itself.
 */
public final class RunWatch extends CounterWatch {

    public RunWatch(DataSource dataSource) {
        super(dataSource, "runs");
    }
}
