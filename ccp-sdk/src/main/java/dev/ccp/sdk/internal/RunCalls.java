package dev.ccp.sdk.internal;

import dev.ccp.spi.wire.DecisionRequest;
import dev.ccp.spi.wire.RunEvents;
import dev.ccp.spi.wire.RunFinish;
import dev.ccp.spi.wire.RunProgress;
import dev.ccp.spi.wire.RunRequest;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepOutcome;
import dev.ccp.spi.wire.StepRequest;
import dev.ccp.spi.wire.StepView;
import java.util.List;

/** The runs endpoints, called with the session's token (renewed once after a 401). Each failure is thrown. */
public final class RunCalls {

    private final Engine engine;

    public RunCalls(Engine engine) {
        this.engine = engine;
    }

    public RunView start(RunRequest request) {
        return engine.authorized((api, token) -> api.startRun(token, request));
    }

    public List<RunView> list(String state, Integer limit) {
        return engine.authorized((api, token) -> api.runs(token, state, limit));
    }

    public RunView get(String id) {
        return engine.authorized((api, token) -> api.run(token, id));
    }

    public StepView propose(String id, StepRequest request) {
        return engine.authorized((api, token) -> api.proposeStep(token, id, request));
    }

    public StepView decide(String id, int step, DecisionRequest request) {
        return engine.authorized((api, token) -> api.decide(token, id, step, request));
    }

    public void outcome(String id, int step, StepOutcome outcome) {
        engine.authorized((api, token) -> {
            api.stepOutcome(token, id, step, outcome);
            return null;
        });
    }

    public void progress(String id, RunProgress progress) {
        engine.authorized((api, token) -> {
            api.runProgress(token, id, progress);
            return null;
        });
    }

    public void finish(String id, RunFinish finish) {
        engine.authorized((api, token) -> {
            api.finishRun(token, id, finish);
            return null;
        });
    }

    public RunEvents events(String id, long after, int waitSeconds) {
        return engine.authorized((api, token) -> api.runEvents(token, id, after, waitSeconds));
    }
}
