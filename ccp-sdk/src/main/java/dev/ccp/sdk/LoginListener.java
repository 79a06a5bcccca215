package dev.ccp.sdk;

import java.time.Duration;
import java.util.List;

/** Hears how a device login goes, to show it to the person. Called on the thread that logs in. */
public interface LoginListener {

    /** The code is ready: show it and where to enter it. */
    void onCode(DeviceCode code);

    /** The approval is still pending; the next poll comes after {@code nextPollIn}. */
    default void onWaiting(Duration nextPollIn) {
    }

    /**
     * The server answered that it is not serving yet (it is starting, or cannot reach its database);
     * the login asks again after {@code retryIn}.
     */
    default void onServerUnavailable(String reason, Duration retryIn) {
    }

    /**
     * The server's license keys were pinned, at the first login to a server whose keys the host tool
     * does not carry. Show the fingerprints so that the person can compare them out of band.
     */
    default void onKeysPinned(List<String> fingerprints) {
    }

    /** A listener that shows nothing. */
    static LoginListener silent() {
        return code -> { };
    }
}
