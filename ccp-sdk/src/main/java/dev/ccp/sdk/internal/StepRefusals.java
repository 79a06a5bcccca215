package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.spi.wire.DecisionView;
import dev.ccp.spi.wire.Problem;
import dev.ccp.spi.wire.StepView;

/**
 * How a run on this machine words a decision and refuses a second one: as the server does, with the
 * same problems, so that the editor bridge passes them on and a client handles one set of answers.
 */
final class StepRefusals {

    private StepRefusals() {
    }

    /**
     * Why a decision on the step was not taken: it was decided before, the run ended ({@code ended}
     * is its final state, else null), or the step never waited.
     */
    static CcpException refused(LiveStep live, String ended, String runId) {
        StepView v = live.view();
        DecisionView first = v.decision();
        if (first != null) {
            return conflict("already-decided", "Already decided", "step " + live.n + " was already " + said(first) + " at "
                    + first.at() + "; the first decision stands");
        }
        if (ended != null) {
            return conflict("run-ended", "Run ended", "run " + runId + " has ended (" + ended + "); its steps are no longer decided");
        }
        if ("waiting".equals(v.state())) {
            // The server refused it, and what it holds has not reached this machine yet.
            return conflict("already-decided", "Already decided", "step " + live.n + " was decided elsewhere first; the first decision stands");
        }
        return conflict("not-waiting", "Not waiting for a decision", "step " + live.n + " does not wait for a decision: it is " + v.state()
                + (v.reason() == null ? "" : " (" + v.reason() + ")"));
    }

    /** A decision for a person: {@code approved with edits by ada@example.com via editor}. */
    static String said(DecisionView decision) {
        if (decision == null) {
            return "not carried out: nobody decided it";
        }
        String said = switch (decision.decision()) {
            case "approve" -> "approved";
            case "edit" -> "approved with edits";
            default -> "rejected";
        };
        return said + (decision.by() == null ? "" : " by " + decision.by()) + (decision.via() == null ? "" : " via " + decision.via());
    }

    private static CcpException conflict(String slug, String title, String detail) {
        return new CcpException(Kind.CONFLICT, detail, Problem.of(409, slug, title, detail), null);
    }
}
