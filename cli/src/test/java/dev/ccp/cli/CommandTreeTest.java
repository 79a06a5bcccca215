package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.sdk.Sleeper;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A run builds only the command it names; help and completion see them all. */
class CommandTreeTest {

    private static Context context() {
        PrintStream nowhere = new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        return new Context(nowhere, nowhere, Map.of(), Clock.systemUTC(), Sleeper.system(), Browser.system(Map.of()));
    }

    @Test
    void everyRegisteredNameIsTheNameItsCommandDeclares() {
        CcpCommand.COMMANDS.forEach((name, command) ->
                assertThat(command.getAnnotation(Command.class).name()).as(command.getSimpleName()).isEqualTo(name));
    }

    @Test
    void aRunNamingACommandBuildsThatCommandAlone() {
        CommandLine cli = Main.commandLine(context(), new String[] {"--server", "login", "status", "--offline"});

        assertThat(cli.getSubcommands()).containsOnlyKeys("status");
    }

    @Test
    void helpAndMistypedNamesGetTheWholeTree() {
        assertThat(Main.commandLine(context(), new String[] {"--help"}).getSubcommands()).containsOnlyKeys(CcpCommand.COMMANDS.keySet());
        assertThat(Main.commandLine(context(), new String[] {"statu"}).getSubcommands()).containsOnlyKeys(CcpCommand.COMMANDS.keySet());
        assertThat(Main.commandLine(context(), new String[0]).getSubcommands()).containsOnlyKeys(CcpCommand.COMMANDS.keySet());
    }
}
