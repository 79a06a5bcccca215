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
            // The refresh token is deleted already, so nothing run here later can revoke this session.
            root.context.err().println("ccp: logged out on this machine, but the session could not be revoked on the server ("
                    + result.detail() + ") — it ends when its tokens expire (refresh tokens last up to 90 days on the reference"
                    + " server); an owner or admin of the org can end it now by removing you from the org");
            return ExitCodes.UNREACHABLE;
        }
        root.context.out().println("✓ Logged out");
        return ExitCodes.OK;
    }
}
