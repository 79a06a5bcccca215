package dev.ccp.server.keys.control;

/** What a key signs. The kid of every key starts with its purpose, so clients can tell them apart. */
public enum KeyPurpose {
    ACCESS("access"),
    LICENSE("license"),
    POLICY("policy"),
    AUDIT("audit");

    private final String prefix;

    KeyPurpose(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    public static KeyPurpose parse(String text) {
        for (KeyPurpose p : values()) {
            if (p.prefix.equals(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown key purpose '" + text + "'; use access, license, policy or audit");
    }
}
