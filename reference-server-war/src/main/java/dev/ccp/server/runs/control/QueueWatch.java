package dev.ccp.server.runs.control;

import dev.ccp.server.platform.database.CounterWatch;
import javax.sql.DataSource;

/**
 * The claims runners hold open on a workspace's queue ({@code run_queues}), woken when a run of it
 * is queued or a runner's run of it ends, on whichever node that happened.
 */
public final class QueueWatch extends CounterWatch {

    public QueueWatch(DataSource dataSource) {
        super(dataSource, "run_queues");
    }
}
