package dev.ccp.spi.usage;

import java.util.regex.Pattern;

/** The one rule for model ids, shared by the SDK (on record) and the server (on ingest). */
public final class ModelId {

    /** Lower-case, starts with a letter or digit, at most 64 characters: an id, never free text. */
    public static final Pattern PATTERN = Pattern.compile("[a-z0-9][a-z0-9._:/-]{0,63}");

    private ModelId() {
    }

    public static boolean valid(String model) {
        return model != null && PATTERN.matcher(model).matches();
    }
}
