package dev.ccp.sdk.internal;

import dev.ccp.spi.wire.DecisionRequest;
import dev.ccp.spi.wire.RunEvents;
import dev.ccp.spi.wire.RunFinish;
import dev.ccp.spi.wire.RunProgress;
import dev.ccp.spi.wire.RunRequest;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.RunnerRequest;
import dev.ccp.spi.wire.RunnerView;
import dev.ccp.spi.wire.StepOutcome;
import dev.ccp.spi.wire.StepRequest;
import dev.ccp.spi.wire.StepView;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The runs and runners endpoints, called with a bearer: the session's token (renewed once after a
 * 401), or a runner's. Each failure is thrown.
 */
public final class RunCalls {

    /** Makes a call with an API and the token to present. */
    interface Bearer {
        <T> T call(BiFunction<Api, String, T> call);
    }

    private final Bearer bearer;

    public RunCalls(Engine engine) {
        this(engine::authorized);
    }

    RunCalls(Bearer bearer) {
        this.bearer = bearer;
    }

    public RunView start(RunRequest request) {
        return bearer.call((api, token) -> api.startRun(token, request));
    }

    public List<RunView> list(String state, Integer limit) {
        return bearer.call((api, token) -> api.runs(token, state, limit));
    }

    public RunView get(String id) {
        return bearer.call((api, token) -> api.run(token, id));
    }

    public StepView propose(String id, StepRequest request) {
        return bearer.call((api, token) -> api.proposeStep(token, id, request));
    }

    public StepView decide(String id, int step, DecisionRequest request) {
        return bearer.call((api, token) -> api.decide(token, id, step, request));
    }

    public void outcome(String id, int step, StepOutcome outcome) {
        bearer.call((api, token) -> {
            api.stepOutcome(token, id, step, outcome);
            return null;
        });
    }

    public void progress(String id, RunProgress progress) {
        bearer.call((api, token) -> {
            api.runProgress(token, id, progress);
            return null;
        });
    }

    public void finish(String id, RunFinish finish) {
        bearer.call((api, token) -> {
            api.finishRun(token, id, finish);
            return null;
        });
    }

    public RunEvents events(String id, long after, int waitSeconds) {
        return bearer.call((api, token) -> api.runEvents(token, id, after, waitSeconds));
    }

    public RunnerView registerRunner(RunnerRequest request) {
        return bearer.call((api, token) -> api.registerRunner(token, request));
    }

    public List<RunnerView> runners() {
        return bearer.call(Api::runners);
    }

    public void revokeRunner(String id) {
        bearer.call((api, token) -> {
            api.revokeRunner(token, id);
            return null;
        });
    }

    /** The claimed run, or null when none was queued in time. */
    public RunView claim(int waitSeconds) {
        return bearer.call((api, token) -> api.claimRun(token, waitSeconds));
    }

    public void heartbeat() {
        bearer.call((api, token) -> {
            api.runnerHeartbeat(token);
            return null;
        });
    }
}
