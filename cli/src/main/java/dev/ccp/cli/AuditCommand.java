package dev.ccp.cli;

import dev.ccp.sdk.AuditPage;
import dev.ccp.sdk.AuditQuery;
import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.CcpException;
import dev.ccp.spi.audit.AuditEntry;
import dev.ccp.spi.audit.AuditExport;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code ccp audit}: the org's audit log, for its owners and admins; {@code verify} checks an export offline. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Read and export the org's audit log (owners and admins), and check an export offline.",
        subcommands = {AuditCommand.List.class, AuditCommand.Export.class, AuditCommand.Verify.class})
final class AuditCommand implements Runnable {

    @ParentCommand
    CcpCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--org", paramLabel = "SLUG", scope = ScopeType.INHERIT, description = "The org (default: the org logged in to).")
    String org;

    @Override
    public void run() {
        spec.commandLine().usage(root.context.out());
    }

    String org(CcpClient client) {
        return org != null ? org : client.account().map(a -> a.org())
                .orElseThrow(() -> new CcpException(CcpException.Kind.NOT_LOGGED_IN, "not logged in"));
    }

    /** The filters {@code list} and {@code export} share. */
    static final class Filters {
        @Option(names = "--actor", paramLabel = "WHO", description = "Only changes by this actor: user, operator, billing, system, or an id.")
        String actor;

        @Option(names = "--action", paramLabel = "ACTION", description = "Only this action, such as member.added.")
        String action;

        @Option(names = "--from", paramLabel = "TIME", description = "Only changes at or after this time (2026-12-01T00:00:00Z).")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "Only changes before this time.")
        String to;

        AuditQuery query(long after, Integer limit) {
            return new AuditQuery(after, actor, action, time("--from", from), time("--to", to), limit);
        }

        private static Instant time(String option, String text) {
            try {
                return text == null ? null : Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new CliException(ExitCodes.USAGE, "ccp: " + option + " must be a time such as 2026-12-01T00:00:00Z — see `ccp audit --help`");
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the org's audit log, oldest first.")
    static final class List implements Callable<Integer> {
        @ParentCommand
        AuditCommand parent;

        @picocli.CommandLine.Mixin
        Filters filters = new Filters();

        @Option(names = "--after", paramLabel = "SEQ", defaultValue = "0", description = "Start after this entry number.")
        long after;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Entries to show, 1 to 500 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            CcpClient client = parent.root.client();
            AuditPage page = client.audit(parent.org(client), filters.query(after, limit));
            for (AuditEntry e : page.entries()) {
                parent.root.context.out().println(e.seq() + "  " + e.at() + "  " + e.action() + "  " + e.actorType()
                        + (e.actorId() == null ? "" : ":" + e.actorId()) + "  " + text(e.targets()) + "  " + text(e.details()));
            }
            if (page.next() != null) {
                parent.root.context.out().println("… more with --after " + page.next());
            }
            return ExitCodes.OK;
        }

        private static String text(java.util.Map<String, Object> values) {
            return new String(JsonValues.write(values, false), StandardCharsets.UTF_8);
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Export the org's audit log as JSON Lines (to check with `ccp audit verify`) or CSV.")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        AuditCommand parent;

        @picocli.CommandLine.Mixin
        Filters filters = new Filters();

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl", description = "jsonl or csv (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to this file (default: standard output).")
        Path output;

        @Override
        public Integer call() throws IOException {
            if (!format.equals("jsonl") && !format.equals("csv")) {
                throw new CliException(ExitCodes.USAGE, "ccp: --format must be jsonl or csv — see `ccp audit export --help`");
            }
            CcpClient client = parent.root.client();
            String file = client.exportAudit(parent.org(client), filters.query(0, null), format);
            if (output == null) {
                parent.root.context.out().print(file);
                return ExitCodes.OK;
            }
            Path target = output.toAbsolutePath();
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                Files.writeString(temp, file);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
            parent.root.context.out().println("✓ Wrote " + file.lines().count() + " lines to " + output);
            return ExitCodes.OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check an audit log export (JSON Lines) offline: that no entry was changed, removed or reordered,"
                    + " and that the server's signed checkpoints and head vouch for it. A filtered export cannot be verified.")
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        AuditCommand parent;

        @Parameters(paramLabel = "FILE", description = "A file written by `ccp audit export`.")
        Path file;

        @Option(names = "--keys", paramLabel = "JWKS", description = "Check the checkpoints and the head against the audit keys in this JWKS file"
                + " (default: the keys pinned at login to the server).")
        Path keys;

        @Override
        public Integer call() {
            AuditExport.Parsed export;
            try {
                export = AuditExport.read(Files.readAllLines(file, StandardCharsets.UTF_8));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new CliException(ExitCodes.USAGE, "ccp: no file " + file + " — pass a file from `ccp audit export`");
            } catch (IOException e) {
                if (e.getCause() != null) {
                    throw new CliException(ExitCodes.AUDIT_INVALID, "ccp: " + file + ": " + e.getMessage());
                }
                throw new CliException(ExitCodes.USAGE, "ccp: cannot read " + file + " (" + e.getMessage() + ") — pass a file from `ccp audit export`");
            }
            AuditExport.Result result = parent.root.client().verifyAuditExport(export, trusted());
            if (result.partial()) {
                throw new CliException(ExitCodes.USAGE, "ccp: " + file + " " + result.reason()
                        + " — export the whole log, without --actor, --action, --from or --to, to verify it");
            }
            if (!result.valid()) {
                String where = result.broken() == null ? file.toString() : "audit entry " + result.broken();
                String hint = result.reason().contains("not trusted") ? "; log in to the server again or pass its keys with --keys" : "";
                throw new CliException(ExitCodes.AUDIT_INVALID, "ccp: " + where + " " + result.reason()
                        + (result.broken() == null ? hint : "; the log from there on cannot be trusted"));
            }
            java.util.List<AuditEntry> entries = export.entries();
            AuditEntry first = entries.get(0);
            AuditEntry last = entries.get(entries.size() - 1);
            StringBuilder said = new StringBuilder("✓ " + entries.size() + " entries of org " + last.org() + " fit together (entries "
                    + first.seq() + " to " + last.seq() + ", last hash " + last.hash() + ")");
            if (result.vouchedTo() > 0) {
                said.append("; ").append(result.checkpoints()).append(result.checkpoints() == 1 ? " checkpoint" : " checkpoints")
                        .append(" signed by the server's audit key ").append(result.checkpoints() == 1 ? "vouches" : "vouch")
                        .append(" for them up to entry ").append(result.vouchedTo());
            }
            if (result.vouchedTo() < last.seq()) {
                said.append("; no checkpoint vouches for ").append(result.vouchedTo() == 0 ? "them" : "the entries after " + result.vouchedTo())
                        .append(", so a rewrite of those on the server before the export would not show");
            }
            if (first.seq() != 1) {
                said.append("; the entries before ").append(first.seq()).append(" were pruned")
                        .append(result.anchored() ? ", and a signed checkpoint anchors entry " + first.seq() : "");
            }
            said.append("; the server's head, signed at ").append(result.head().at()).append(", says the log runs from entry ")
                    .append(result.head().first()).append(" to entry ").append(result.head().seq()).append(", so none is missing");
            parent.root.context.out().println(said);
            return ExitCodes.OK;
        }

        private KeyRing trusted() {
            if (keys == null) {
                return null;
            }
            try {
                return KeyRing.parseJwks(Files.readString(keys, StandardCharsets.UTF_8));
            } catch (IOException | IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, "ccp: cannot read the keys in " + keys + " (" + e.getMessage()
                        + ") — pass a JWKS such as the server's /.well-known/jwks.json");
            }
        }
    }
}
