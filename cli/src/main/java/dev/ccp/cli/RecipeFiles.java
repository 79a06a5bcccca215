package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.spi.runs.Recipe;
import dev.ccp.spi.wire.WorkspaceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The git workspace a run goes in and its recipes, {@code .ccp/recipes/NAME.json}, read strictly, for
 * {@code ccp run} and a runner alike.
 */
final class RecipeFiles {

    /** Also keeps a name that came from the server from reaching outside {@code .ccp/recipes}. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private RecipeFiles() {
    }

    /**
     * The workspace {@code dir} lies in.
     *
     * @param todo what to do when it lies in none, said after the failure
     * @throws CliException {@link ExitCodes#USAGE} when it lies in no git repository
     */
    static WorkspaceRef workspace(CcpClient client, Path dir, String todo) {
        try {
            return client.runs().workspace(dir);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "ccp: " + dir + " is not inside a git repository — " + todo);
        }
    }

    /** @throws CliException {@link ExitCodes#USAGE} when {@code name} cannot be a recipe's */
    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new CliException(ExitCodes.USAGE, "ccp: '" + name + "' is not a recipe name — pass the name of a file in"
                    + " .ccp/recipes without .json, such as format");
        }
    }

    /**
     * The recipe {@code name} of the workspace whose root is {@code top}.
     *
     * @param missing what to do when there is no such recipe, said after the failure
     * @throws CliException {@link ExitCodes#USAGE} when the name is not one, or the file is missing or
     *     unreadable; {@link ExitCodes#REFUSED} when it is not a valid recipe
     */
    static Recipe read(Path top, String name, String missing) {
        checkName(name);
        Path file = top.resolve(".ccp").resolve("recipes").resolve(name + ".json");
        try {
            return Recipe.parse(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.USAGE, "ccp: no recipe " + top.relativize(file) + " in " + top + " — " + missing);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "ccp: cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.REFUSED, "ccp: " + top.relativize(file) + ": " + e.getMessage() + "; nothing was run");
        }
    }
}
