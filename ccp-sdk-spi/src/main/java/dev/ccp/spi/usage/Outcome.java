package dev.ccp.spi.usage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a model request ended. */
public enum Outcome {
    OK, ERROR, RATE_LIMITED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Outcome parse(String text) {
        for (Outcome o : values()) {
            if (o.wire().equals(text)) {
                return o;
            }
        }
        throw new IllegalArgumentException("outcome must be ok, error or rate_limited, was '" + text + "'");
    }
}
