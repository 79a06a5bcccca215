package dev.ccp.sdk;

import java.util.List;
import java.util.Map;

/**
 * What a finished login found.
 *
 * @param login who logged in (email or GitHub handle)
 * @param org the org the session is for
 * @param plan the plan of the license pack; null when the person holds no seat in the org
 * @param entitlements what the pack grants; empty without a pack
 * @param pinnedFingerprints the license keys pinned by this login ({@code kid SHA256:…}); empty when
 *     nothing new was pinned
 * @param license the stored pack, verified
 */
public record LoginResult(
        String login,
        String org,
        String plan,
        Map<String, Object> entitlements,
        List<String> pinnedFingerprints,
        License license) {

    public LoginResult {
        entitlements = entitlements == null ? Map.of() : Map.copyOf(entitlements);
        pinnedFingerprints = List.copyOf(pinnedFingerprints);
    }
}
