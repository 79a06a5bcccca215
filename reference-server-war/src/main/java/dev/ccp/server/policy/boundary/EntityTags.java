package dev.ccp.server.policy.boundary;

/** Reading {@code If-None-Match} (RFC 9110 §13.1.2): a list of tags, weak or strong, or {@code *}. */
final class EntityTags {

    private EntityTags() {
    }

    /** {@code current} when the header names it (or is {@code *}), else null; null when there is no current tag. */
    static String matching(String ifNoneMatch, String current) {
        if (ifNoneMatch == null || current == null) {
            return null;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*")) {
                return current;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
                tag = tag.substring(1, tag.length() - 1);
            }
            if (tag.equals(current)) {
                return current;
            }
        }
        return null;
    }
}
