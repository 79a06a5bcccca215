package dev.ccp.sdk;

import dev.ccp.spi.policy.PolicyDocument;

/**
 * Told about a {@link PolicyClient}'s changes, on the thread that made them (the client's background
 * thread, or the one that called {@link PolicyClient#reload()}). An exception thrown here is logged
 * and otherwise ignored.
 */
public interface PolicyListener {

    /** A newer version became active. */
    void onPolicyChanged(PolicyDocument policy, PolicyStatus status);

    /** The {@linkplain PolicyStatus#state() state} changed. */
    default void onStatusChanged(PolicyStatus status) {
    }
}
