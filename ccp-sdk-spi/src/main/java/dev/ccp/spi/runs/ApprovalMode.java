package dev.ccp.spi.runs;

import java.util.Locale;

/** Which steps of a run wait for a person, beyond what the policy asks. */
public enum ApprovalMode {
    /** Every step that changes something. */
    ALL,
    /** Only what the policy asks for: changes under its review paths. */
    POLICY,
    /** None; denied steps are still refused. */
    NONE;

    /** From {@code all}, {@code policy} or {@code none}. */
    public static ApprovalMode parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("approval mode must be all, policy or none, was '" + text + "'");
        }
    }
}
