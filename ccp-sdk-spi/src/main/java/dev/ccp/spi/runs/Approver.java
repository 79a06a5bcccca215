package dev.ccp.spi.runs;

import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepView;
import java.util.concurrent.CompletableFuture;

/**
 * Someone on this machine who may decide a step that waits: a prompt in the terminal, a dialog in an
 * editor. The SDK asks every approver of a run at once, and asks the server too when the run is
 * mirrored there; the first decision wins.
 */
@FunctionalInterface
public interface Approver {

    /**
     * Asks about a step that waits. Must not block: answer through the future, with a
     * {@link Decision}, or with null to abstain. When the step is decided elsewhere first, the SDK
     * cancels the future; an approver that is still asking should notice (for instance with
     * {@code whenComplete}) and stop.
     *
     * @param run  the run as it stands
     * @param step the step, with its diff (for a change) and why it waits
     */
    CompletableFuture<Decision> ask(RunView run, StepView step);
}
