package dev.ccp.sdk;

import java.util.List;

/**
 * What {@link PolicyClient#reload()} did.
 *
 * @param previousVersion the version active before, or null
 * @param changed         whether a newer version became active
 * @param sections        the top-level sections of the document that differ ({@code models}, {@code offload}, …)
 * @param status          the status after the reload
 */
public record PolicyReload(Long previousVersion, boolean changed, List<String> sections, PolicyStatus status) {

    public PolicyReload {
        sections = List.copyOf(sections);
    }
}
