package dev.ccp.server.slack.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepView;
import dev.ccp.spi.wire.Json;
import java.util.List;
import java.util.Optional;

/**
 * A run as one Slack message (Block Kit): what it is and where, its phase and last progress line,
 * its steps with their decisions, Approve and Reject buttons on each step that waits, and the commit
 * or failure it ended with. It stays inside Slack's limits whatever the run holds: at most 50 blocks
 * (later steps shown, earlier ones counted), 3,000 characters in a section, a plain-text fallback
 * for notifications.
 */
public final class RunMessage {

    public static final String APPROVE = "ccp_approve";
    public static final String REJECT = "ccp_reject";
    static final int MAX_BLOCKS = 50;
    static final int MAX_SECTION = 3000;
    /** Steps shown, and steps with buttons among them: 4 blocks of head and foot, 2 per waiting step, 1 per other. */
    static final int MAX_STEPS = 20;
    static final int MAX_WAITING = 12;

    private RunMessage() {
    }

    /** The {@code text} and {@code blocks} of the message, for chat.postMessage, chat.update or a response URL. */
    public static ObjectNode of(RunView run, String runUrl) {
        ObjectNode message = Json.lenient().createObjectNode();
        message.put("text", fallback(run));
        ArrayNode blocks = message.putArray("blocks");
        String what = run.recipe() != null ? "recipe `" + escape(run.recipe()) + "`" : escape(run.title());
        section(blocks, "*<" + runUrl + "|Run " + escape(run.id()) + ">* · " + what + " in `" + escape(run.workspace().name()) + "` — *"
                + said(run.state()) + "*");
        StringBuilder context = new StringBuilder("started by " + escape(run.startedBy()) + " via " + escape(run.source()));
        if (run.phase() != null) {
            context.append(" · ").append(escape(run.phase()));
            if (run.message() != null && !isFinal(run.state())) {
                context.append(": ").append(escape(run.message()));
            }
        }
        context(blocks, context.toString());
        List<StepView> steps = run.steps() == null ? List.of() : run.steps();
        int from = Math.max(0, steps.size() - MAX_STEPS);
        if (from > 0) {
            context(blocks, from + " earlier step" + (from == 1 ? "" : "s") + " not shown; all are on the run's page");
        }
        int buttons = 0;
        for (StepView step : steps.subList(from, steps.size())) {
            section(blocks, stepLine(step));
            if ("waiting".equals(step.state()) && buttons < MAX_WAITING) {
                buttons++;
                ArrayNode elements = blocks.addObject().put("type", "actions").put("block_id", "step-" + step.n()).putArray("elements");
                button(elements, "Approve", APPROVE, "primary", run.id() + ":" + step.n());
                button(elements, "Reject", REJECT, "danger", run.id() + ":" + step.n());
            }
        }
        ending(run).ifPresent(end -> section(blocks, end));
        return message;
    }

    /** The plain text Slack shows in notifications, and where blocks cannot be shown. */
    static String fallback(RunView run) {
        long waiting = run.steps() == null ? 0 : run.steps().stream().filter(s -> "waiting".equals(s.state())).count();
        String base = "Run " + run.id() + " (" + (run.recipe() != null ? run.recipe() : run.title()) + "): " + said(run.state());
        if (waiting > 0) {
            return base + ": " + waiting + " step" + (waiting == 1 ? " waits" : "s wait") + " for approval";
        }
        return ending(run).map(end -> base + ". " + end.replace("*", "").replace("`", "")).orElse(base);
    }

    private static Optional<String> ending(RunView run) {
        if ("succeeded".equals(run.state())) {
            return Optional.of(run.commit() != null ? "Committed `" + escape(run.commit().substring(0, Math.min(12, run.commit().length())))
                    + "`" : "Finished without a commit");
        }
        if ("failed".equals(run.state()) || "cancelled".equals(run.state())) {
            return Optional.of("*" + (run.state().equals("failed") ? "Failed" : "Cancelled") + "*"
                    + (run.message() != null ? ": " + escape(run.message()) : ""));
        }
        return Optional.empty();
    }

    private static String stepLine(StepView step) {
        StringBuilder line = new StringBuilder("`" + step.n() + "` " + what(step) + " — ");
        if (step.decision() != null) {
            line.append('*').append(decided(step.decision().decision())).append("* by ").append(escape(step.decision().by()))
                    .append(" via ").append(escape(step.decision().via()));
            if ("done".equals(step.state()) || "failed".equals(step.state())) {
                line.append(", ").append(stepState(step));
            }
        } else {
            line.append('*').append(stepState(step)).append('*');
            if (("waiting".equals(step.state()) || "denied".equals(step.state())) && step.reason() != null) {
                line.append(" (").append(escape(step.reason())).append(')');
            }
        }
        return line.toString();
    }

    private static String what(StepView step) {
        return switch (step.kind()) {
            case "change" -> "change " + (step.files() == null ? "" : step.files().keySet().stream().limit(5).map(f -> "`" + escape(f) + "`")
                    .reduce((a, b) -> a + ", " + b).orElse("") + (step.files().size() > 5 ? " and " + (step.files().size() - 5) + " more" : ""));
            case "command" -> "run `" + escape(step.argv() == null ? "" : String.join(" ", step.argv())) + "`";
            default -> "note: " + escape(step.text());
        };
    }

    private static String stepState(StepView step) {
        return switch (step.state()) {
            case "waiting" -> "waits for approval";
            case "ready" -> "allowed";
            case "denied" -> "denied by policy";
            case "done" -> "done";
            case "failed" -> "failed" + (step.exitCode() != null ? " (exit " + step.exitCode() + ")" : "");
            default -> step.state();
        };
    }

    private static String decided(String decision) {
        return "edit".equals(decision) ? "approved with edits" : "approve".equals(decision) ? "approved" : "rejected";
    }

    private static String said(String state) {
        return switch (state) {
            case "queued" -> "queued for a runner";
            case "waiting" -> "waiting for approval";
            default -> state;
        };
    }

    private static boolean isFinal(String state) {
        return "succeeded".equals(state) || "failed".equals(state) || "cancelled".equals(state);
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", clip(mrkdwn, MAX_SECTION));
    }

    private static void context(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn").put("text", clip(mrkdwn, MAX_SECTION));
    }

    private static void button(ArrayNode elements, String label, String actionId, String style, String value) {
        ObjectNode button = elements.addObject().put("type", "button").put("action_id", actionId).put("style", style).put("value", value);
        button.putObject("text").put("type", "plain_text").put("text", label);
    }

    /** Slack's mrkdwn reserves {@code &}, {@code <} and {@code >}; everything else is shown as written. */
    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
