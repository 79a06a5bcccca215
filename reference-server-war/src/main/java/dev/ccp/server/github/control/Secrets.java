package dev.ccp.server.github.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds a credential in one line a pull request adds. The formats with a known shape come first
 * (private keys, AWS, GitHub, Slack, Stripe and Google keys); then a password or token written as a
 * long, random-looking literal and assigned to a name that says so.
 *
 * <p>A comment that cries wolf teaches people to ignore the bot, so a value is left alone when it
 * is a placeholder or a reference ({@code ${VAR}}, {@code {{ var }}}, {@code <your-token>},
 * {@code os.environ[...]}, {@code process.env.X}, a YAML alias or tag, a call, a dotted name,
 * {@code xxxx}, {@code changeme}, words such as example, dummy or test), repeats one character,
 * reads as words or a constant's name, is a UUID, a URL or a path; when it is a hash on a lock
 * file's integrity line; or when it is inside a {@code data:...;base64,} URI. Documentation keys,
 * which end in {@code EXAMPLE} or {@code EXAMPLEKEY} as AWS writes them, are left alone too.
 *
 * <p>What it returns holds only the leading characters of the value, so the value goes no further.
 */
final class Secrets {

    /** Bits of Shannon entropy per character a generic literal needs; random base62 has about 4 at 16 characters. */
    static final double MIN_ENTROPY = 3.5;
    static final int MIN_LENGTH = 16;

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|PGP|ENCRYPTED) )?PRIVATE KEY(?: BLOCK)?-----(.*)");
    /** What may follow a key's header: nothing (a PEM file, a multi-line string) or an escaped new line and the key (JSON, .env). */
    private static final Pattern KEY_FOLLOWS = Pattern.compile("\\s*|(?:\\\\r)?\\\\n[^\"'`]{16,}.*");
    private static final List<Shape> SHAPES = List.of(
            new Shape("AWS access key id", false, Pattern.compile("(?<![A-Za-z0-9])(?:AKIA|ASIA)(?<secret>[A-Z0-9]{16})(?![A-Za-z0-9])")),
            new Shape("AWS secret access key", true, Pattern.compile("(?i)(?:aws[_.-]?secret[_.-]?(?:access[_.-]?)?key|secret[_.-]?access[_.-]?key)"
                    + "[\"'`\\]]*\\s*(?::=|=>|=|:)\\s*[\"'`]?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])")),
            new Shape("GitHub token", false, Pattern.compile("(?<![A-Za-z0-9_])gh[pousr]_(?<secret>[A-Za-z0-9]{36,251})(?![A-Za-z0-9_])")),
            new Shape("GitHub token", false, Pattern.compile("(?<![A-Za-z0-9_])github_pat_(?<secret>[A-Za-z0-9_]{82})(?![A-Za-z0-9_])")),
            new Shape("Slack token", false, Pattern.compile("(?<![A-Za-z0-9])xox[abeprs]-"
                    + "(?<secret>(?:[0-9]{1,20}-){1,3}[A-Za-z0-9]{8,}(?:-[A-Za-z0-9]{8,})?)(?![A-Za-z0-9-])")),
            new Shape("Slack webhook URL", false, Pattern.compile("hooks\\.slack\\.com/(?:services|workflows|triggers)/"
                    + "(?<secret>T[A-Za-z0-9_]{6,}(?:/[A-Za-z0-9_]{6,}){1,2}/[A-Za-z0-9_]{20,})")),
            new Shape("Stripe live key", false, Pattern.compile("(?<![A-Za-z0-9_])[sr]k_live_(?<secret>[A-Za-z0-9]{20,247})(?![A-Za-z0-9_])")),
            new Shape("Google API key", false, Pattern.compile("(?<![A-Za-z0-9_-])AIza(?<secret>[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])")));
    /** The body of a shaped token that someone filled in by hand: xxxx, a long run of one character, an ellipsis, angle brackets. */
    private static final Pattern FILLER = Pattern.compile("(?i)x{4,}|(.)\\1{5,}|\\.\\.\\.|[<>]|your");
    /**
     * A name, perhaps a type ({@code token: String = ...}), an assignment ({@code = : := =>}, not
     * {@code == =~ ::} nor a URL's {@code ://}) and a literal: quoted, or bare up to a space, a
     * delimiter or an {@code =} that is not trailing padding. A name starts where an identifier
     * does and is bounded, and a bare value cannot swallow the next assignment, so a long minified
     * or encoded line is read in linear time.
     */
    private static final Pattern ASSIGNMENT = Pattern.compile("(?<![A-Za-z0-9_.$-])(?<name>[A-Za-z_$][A-Za-z0-9_.$-]{0,127}+)[\"'`]?\\]?\\s{0,8}"
            + "(?::\\s{0,8}[A-Za-z_][\\w.<>\\[\\]?]{0,40}\\s{0,8})?(?<op>:=|=>|=(?![=~>])|:(?![:/=]))\\s{0,8}"
            + "(?<value>\"[^\"]{0,1024}\"|'[^']{0,1024}'|`[^`]{0,1024}`|[^\\s'\"`,;(){}\\[\\]<>=]{1,1024}+=*)");
    private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "pwd", "pass", "secret", "token", "apikey",
            "accesskey", "privatekey", "clientsecret", "credential", "credentials");
    private static final Set<String> SECRET_PAIRS = Set.of("api key", "access key", "private key", "secret key", "client secret");
    /** The last word of a name for something about a secret, not the secret: {@code token_url}, {@code password_min_length}. */
    private static final Set<String> ABOUT_WORDS = Set.of("name", "names", "id", "ids", "type", "kind", "url", "uri", "endpoint",
            "host", "path", "file", "filename", "dir", "header", "prefix", "suffix", "length", "len", "size", "count", "ttl",
            "expiry", "expires", "expiration", "timeout", "field", "label", "env", "var", "ref", "hash", "digest", "checksum",
            "policy", "format", "version", "arn", "region", "pattern", "regex", "param", "limit", "min", "max", "enabled",
            "required", "placeholder", "hint", "title", "description");
    private static final Pattern PLACEHOLDER = Pattern.compile("(?i)[{}]|\\$\\(|%\\(|%[sd]|^[$*&!]|[<>]|x{4,}|\\*{3,}|\\.\\.\\.|…"
            + "|example|changeme|change_me|change-me|dummy|test|sample|placeholder|your[_-]?|redacted|fake|mock"
            + "|environ|getenv|process\\.env|env\\[|secrets\\.|vault:|insert|replace|todo|fixme"
            + "|^(?:null|none|nil|undefined|true|false)$");
    private static final Pattern SAME_CHARACTER = Pattern.compile("(.)\\1*");
    private static final Pattern UUID = Pattern.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** {@code DEFAULT_API_TOKEN}, {@code config.github.token}, {@code com.example.SecretHolder}: a name, not a value. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)+");
    private static final Pattern DATA_URI = Pattern.compile("data:[\\w.+/-]{0,100}(?:;[\\w.+=-]{0,100}){0,5};base64,[A-Za-z0-9+/=]+");
    /** {@code yarn.lock}, {@code Cargo.lock}, {@code poetry.lock} and every other {@code *.lock}, and the lock files named otherwise. */
    private static final Pattern LOCK_FILE = Pattern.compile("(?:.*/)?(?:[^/]+\\.lock|[^/]+\\.lockfile|package-lock\\.json"
            + "|npm-shrinkwrap\\.json|pnpm-lock\\.yaml|go\\.sum|packages\\.lock\\.json|bun\\.lockb?)");
    private static final Pattern LOCK_HASH = Pattern.compile("(?i)integrity|checksum|\\bhash(?:es)?\\b|\\bsha(?:1|256|384|512)\\b"
            + "|sha(?:1|256|384|512)[-:]|\\bh1:");

    private Secrets() {
    }

    /**
     * A credential found in a line.
     *
     * @param kind what it looks like, in words: {@code GitHub token}, {@code password or token}
     * @param masked the value's first few characters and an ellipsis, safe to show
     */
    record Secret(String kind, String masked) {
    }

    /**
     * A credential format; the value is the group {@code secret}, what comes before it in the match
     * is a public prefix that may be shown.
     *
     * @param literal the format is only a run of characters, so it must also look random
     */
    private record Shape(String kind, boolean literal, Pattern pattern) {
    }

    /** The first credential in a line added to the file at {@code path}, if any. */
    static Optional<Secret> find(String path, String line) {
        boolean lockFile = path != null && LOCK_FILE.matcher(path).matches();
        if (lockFile && LOCK_HASH.matcher(line).find()) {
            return Optional.empty();
        }
        String text = line.indexOf("base64,") < 0 ? line : DATA_URI.matcher(line).replaceAll("data:");
        Optional<Secret> found = privateKey(text);
        for (int i = 0; found.isEmpty() && i < SHAPES.size(); i++) {
            found = shaped(SHAPES.get(i), text);
        }
        return found.isPresent() || lockFile ? found : assigned(text);
    }

    private static Optional<Secret> privateKey(String text) {
        Matcher header = PRIVATE_KEY.matcher(text);
        while (header.find()) {
            if (KEY_FOLLOWS.matcher(header.group(1)).matches()) {
                String shown = header.group();
                return Optional.of(new Secret("private key", shown.substring(0, shown.length() - header.group(1).length())));
            }
        }
        return Optional.empty();
    }

    private static Optional<Secret> shaped(Shape shape, String text) {
        Matcher m = shape.pattern().matcher(text);
        while (m.find()) {
            String body = m.group("secret");
            boolean documented = body.endsWith("EXAMPLE") || body.endsWith("EXAMPLEKEY");
            boolean plain = shape.literal() && (PLACEHOLDER.matcher(body).find() || entropy(body) < MIN_ENTROPY);
            if (documented || plain || FILLER.matcher(body).find()) {
                continue;
            }
            String prefix = shape.literal() ? "" : text.substring(m.start(), m.start("secret"));
            return Optional.of(new Secret(shape.kind(), prefix + mask(body)));
        }
        return Optional.empty();
    }

    private static Optional<Secret> assigned(String text) {
        Matcher m = ASSIGNMENT.matcher(text);
        int from = 0;
        while (from < text.length() && m.find(from)) {
            from = m.end("op");
            String raw = m.group("value");
            boolean quoted = raw.charAt(0) == '"' || raw.charAt(0) == '\'' || raw.charAt(0) == '`';
            String value = quoted ? raw.substring(1, raw.length() - 1) : raw;
            char after = m.end() < text.length() ? text.charAt(m.end()) : ' ';
            boolean call = !quoted && (after == '(' || after == '[');
            if (!call && namesSecret(m.group("name")) && looksRandom(value)) {
                return Optional.of(new Secret("password or token", mask(value)));
            }
        }
        return Optional.empty();
    }

    /** Whether a name says it holds a credential, read word by word: {@code DB_PASSWORD}, {@code githubToken}, {@code api-key}. */
    static boolean namesSecret(String name) {
        List<String> words = words(name);
        if (words.isEmpty() || ABOUT_WORDS.contains(words.get(words.size() - 1))) {
            return false;
        }
        for (int i = 0; i < words.size(); i++) {
            if (SECRET_WORDS.contains(words.get(i)) || i > 0 && SECRET_PAIRS.contains(words.get(i - 1) + " " + words.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> words(String name) {
        String split = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("([A-Z]+)([A-Z][a-z])", "$1 $2");
        List<String> words = new ArrayList<>();
        for (String word : split.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    /** Whether a literal looks like a generated credential rather than a placeholder, a reference or words. */
    static boolean looksRandom(String value) {
        return value.length() >= MIN_LENGTH
                && !PLACEHOLDER.matcher(value).find()
                && !SAME_CHARACTER.matcher(value).matches()
                && value.chars().noneMatch(Character::isWhitespace)
                && !value.contains("://")
                && !value.startsWith("/") && !value.startsWith("./") && !value.startsWith("../") && !value.startsWith("~/")
                && value.chars().anyMatch(Character::isDigit) && value.chars().anyMatch(Character::isLetter)
                && !UUID.matcher(value).matches()
                && (value.startsWith("eyJ") || !IDENTIFIER.matcher(value).matches())
                && entropy(value) >= MIN_ENTROPY;
    }

    /** Shannon entropy in bits per character. */
    static double entropy(String value) {
        if (value.isEmpty()) {
            return 0;
        }
        Map<Integer, Long> counts = value.chars().boxed().collect(Collectors.groupingBy(c -> c, Collectors.counting()));
        double bits = 0;
        for (long count : counts.values()) {
            double p = (double) count / value.length();
            bits -= p * Math.log(p) / Math.log(2);
        }
        return bits;
    }

    /** The first few characters, never more than a quarter of the value, and an ellipsis. */
    static String mask(String value) {
        return value.substring(0, Math.min(4, value.length() / 4)) + "…";
    }
}
