package dev.ccp.cli;

import dev.ccp.sdk.Sleeper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Writes what a package ships besides the jar, from the command model itself: the man page
 * {@code ccp.1} (and {@code ccp.1.gz}), the bash completion script {@code ccp.bash}, and, given the
 * Debian control file, the package's {@code changelog.gz}. Run by the build:
 * {@code java -cp ccp.jar dev.ccp.cli.Docs DIR [ISO-INSTANT [CONTROL]]}, the instant (the build's
 * output timestamp) dating them, so that the same sources make the same package.
 */
public final class Docs {

    private Docs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: Docs DIR [ISO-INSTANT]");
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        Instant at = args.length > 1 && !args[1].isBlank() ? Instant.parse(args[1]) : Instant.now();
        PrintStream nowhere = new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        CommandLine cli = Main.commandLine(new Context(nowhere, nowhere, Map.of(), Clock.systemUTC(), Sleeper.system(),
                Browser.system(Map.of())));
        String version = CcpCommand.Version.text();
        String page = ManPage.render(cli, version, at.atOffset(ZoneOffset.UTC).toLocalDate().toString());
        Files.writeString(dir.resolve("ccp.1"), page);
        Files.write(dir.resolve("ccp.1.gz"), gzip(page));
        Files.writeString(dir.resolve("ccp.bash"), completion(cli));
        if (args.length > 2) {
            Files.write(dir.resolve("changelog.gz"), gzip(changelog(version.substring("ccp ".length()), Files.readString(Path.of(args[2])), at)));
        }
    }

    /**
     * The changelog of a native Debian package: one entry for this version, by the control file's
     * maintainer. A Maven snapshot {@code 1.0-SNAPSHOT} is Debian's {@code 1.0~SNAPSHOT}, which sorts
     * before {@code 1.0}, as jdeb names the package.
     */
    static String changelog(String version, String control, Instant at) {
        String maintainer = control.lines().filter(l -> l.startsWith("Maintainer:")).map(l -> l.substring(11).strip())
                .findFirst().orElseThrow(() -> new IllegalArgumentException("the control file names no Maintainer"));
        String date = java.time.format.DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", java.util.Locale.ENGLISH)
                .format(at.atOffset(ZoneOffset.UTC));
        return "ccp (" + version.replace('-', '~') + ") unstable; urgency=medium\n\n  * Release " + version + ".\n\n -- "
                + maintainer + "  " + date + "\n";
    }

    /**
     * Gzip (RFC 1952) at the highest level, with no name or time in the header, so the same text gives
     * the same bytes; the header says "best compression" (XFL 2), which the JDK's gzip stream leaves
     * at 0 and Debian's checks read.
     */
    static byte[] gzip(String text) {
        byte[] input = text.getBytes(StandardCharsets.UTF_8);
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_COMPRESSION, true);
        deflater.setInput(input);
        deflater.finish();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3});
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(input);
        for (long value : new long[] {crc.getValue(), input.length & 0xffffffffL}) {
            for (int shift = 0; shift < 32; shift += 8) {
                out.write((int) (value >>> shift) & 0xff);
            }
        }
        return out.toByteArray();
    }

    /** The completion script, without the interpreter line: it is sourced, never run. */
    static String completion(CommandLine cli) {
        String script = AutoComplete.bash("ccp", cli);
        return script.startsWith("#!") ? script.substring(script.indexOf('\n') + 1) : script;
    }
}
