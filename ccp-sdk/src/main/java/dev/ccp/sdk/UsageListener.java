package dev.ccp.sdk;

/**
 * Hears when the background recording of usage changes state (starts failing, recovers, closes).
 * Called on the thread that writes; keep it short and do not block. An exception thrown here is
 * logged and otherwise ignored.
 */
@FunctionalInterface
public interface UsageListener {

    void onStatus(UsageStatus status);
}
