package dev.ccp.cli;

import dev.ccp.sdk.LogoutResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ccp logout}: revokes the session on the server, then deletes the local credentials and
 * license. When the server cannot be reached the files are deleted anyway and the exit code says
 * the revocation did not happen.
 */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = "Revoke the session on the server and delete the local credentials and license.")
final class LogoutCommand implements Callable<Integer> {

    @ParentCommand
    CcpCommand root;

    @Override
    public Integer call() {
        LogoutResult result = root.client().logout();
        if (!result.wasLoggedIn()) {
            root.context.out().println("Not logged in; nothing to do.");
            return ExitCodes.OK;
        }
        if (!result.revoked()) {
            root.context.err().println("ccp: logged out on this machine, but the session could not be revoked on the server ("
                    + result.detail() + ") — it ends when its tokens expire; run `ccp login` and `ccp logout` once it is reachable to end it now");
            return ExitCodes.UNREACHABLE;
        }
        root.context.out().println("✓ Logged out");
        return ExitCodes.OK;
    }
}
