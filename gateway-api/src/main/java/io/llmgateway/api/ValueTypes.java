package io.llmgateway.api;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The value types every plugin shares, one parser each: strings and secrets, integers in a range, byte counts
 * ({@code 64m}), durations ({@code 30s}), booleans, enums, lists, {@code name=value} pairs, absolute URLs, file
 * paths, command-line arguments and {@code key:tenant} lists.
 */
public final class ValueTypes {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(ms|s|m|h)?");
    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(kib|mib|gib|k|m|g)?");
    private static final long KIB = 1024;
    private static final long MIB = KIB * 1024;
    private static final long GIB = MIB * 1024;

    private ValueTypes() {
    }

    /**
     * Any text, kept exactly as configured (spaces included).
     *
     * @return the type
     */
    public static ValueType<String> string() {
        return StringType.PLAIN;
    }

    /**
     * Any text, secret: never printed, masked in logs and error bodies.
     *
     * @return the type
     */
    public static ValueType<String> secret() {
        return StringType.SECRET;
    }

    /**
     * A whole number in a range.
     *
     * @param min the smallest allowed
     * @param max the largest allowed
     * @return the type
     */
    public static ValueType<Integer> integer(int min, int max) {
        return new IntegerType(min, max);
    }

    /**
     * A byte count: plain, or with a binary suffix ({@code 1048576}, {@code 512k}, {@code 64m}, {@code 2g}; also
     * {@code kib}, {@code mib}, {@code gib}).
     *
     * @param min the smallest allowed
     * @param max the largest allowed
     * @return the type
     */
    public static ValueType<Long> bytes(long min, long max) {
        return new BytesType(min, max);
    }

    /**
     * A duration of zero or more: a number with a unit ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}), or a
     * bare number of seconds ({@code 60}, {@code 0.5}), which is how the environment variables have always been
     * written.
     *
     * @return the type
     */
    public static ValueType<Duration> duration() {
        return DurationType.ANY;
    }

    /**
     * A duration above zero, written as for {@link #duration()}.
     *
     * @return the type
     */
    public static ValueType<Duration> positiveDuration() {
        return DurationType.POSITIVE;
    }

    /**
     * A boolean: {@code true/false}, {@code 1/0}, {@code yes/no}, {@code on/off}.
     *
     * @return the type
     */
    public static ValueType<Boolean> bool() {
        return BooleanType.INSTANCE;
    }

    /**
     * One of an enum's constants, written in lower case.
     *
     * @param type the enum
     * @param <E>  the enum
     * @return the type
     */
    public static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type) {
        return new EnumType<>(type);
    }

    /**
     * A comma-separated list; spaces around the entries and empty entries are dropped.
     *
     * @param element the type of each entry
     * @param <T>     the entries' type
     * @return the type
     */
    public static <T> ValueType<List<T>> list(ValueType<T> element) {
        return new ListType<>(element);
    }

    /**
     * {@code name=value} pairs separated by commas, in order.
     *
     * @return the type
     */
    public static ValueType<Map<String, String>> pairs() {
        return PairsType.STRICT;
    }

    /**
     * Names or {@code name=value} pairs separated by commas; a bare {@code name} stands for {@code name=name}.
     *
     * @return the type
     */
    public static ValueType<Map<String, String>> pairsOrNames() {
        return PairsType.BARE_ALLOWED;
    }

    /**
     * An absolute {@code http} or {@code https} URL with a host; trailing slashes are dropped.
     *
     * @return the type
     */
    public static ValueType<URI> url() {
        return UrlType.INSTANCE;
    }

    /**
     * A file system path.
     *
     * @return the type
     */
    public static ValueType<Path> path() {
        return PathType.INSTANCE;
    }

    /**
     * Command-line arguments, split on spaces; single or double quotes keep an argument with spaces together.
     *
     * @return the type
     */
    public static ValueType<List<String>> arguments() {
        return ArgumentsType.INSTANCE;
    }

    /**
     * {@code key:tenant} entries separated by commas or lines, parsed by {@link TenantKeys#parse}; secret.
     *
     * @return the type
     */
    public static ValueType<TenantKeys> tenantKeys() {
        return TenantKeysType.INSTANCE;
    }

    private enum StringType implements ValueType<String> {
        PLAIN, SECRET;

        @Override
        public String parse(String text) {
            return text;
        }

        @Override
        public String typeName() {
            return this == PLAIN ? "string" : "secret";
        }

        @Override
        public boolean secret() {
            return this == SECRET;
        }
    }

    private record IntegerType(int min, int max) implements ValueType<Integer> {
        IntegerType {
            if (min > max) {
                throw new IllegalArgumentException("min " + min + " is above max " + max);
            }
        }

        @Override
        public Integer parse(String text) {
            int value;
            try {
                value = Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be an integer " + allowed());
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be an integer " + allowed());
            }
            return value;
        }

        private String allowed() {
            return max == Integer.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max;
        }

        @Override
        public String typeName() {
            return "integer";
        }

        @Override
        public String range() {
            return max == Integer.MAX_VALUE ? ">= " + min : min + ".." + max;
        }
    }

    private record BytesType(long min, long max) implements ValueType<Long> {
        BytesType {
            if (min > max) {
                throw new IllegalArgumentException("min " + min + " is above max " + max);
            }
        }

        @Override
        public Long parse(String text) {
            Matcher matcher = BYTES.matcher(text.strip().toLowerCase(Locale.ROOT));
            long value;
            try {
                if (!matcher.matches()) {
                    throw new NumberFormatException();
                }
                long unit = switch (matcher.group(2) == null ? "" : matcher.group(2)) {
                    case "k", "kib" -> KIB;
                    case "m", "mib" -> MIB;
                    case "g", "gib" -> GIB;
                    default -> 1;
                };
                value = Math.multiplyExact(Long.parseLong(matcher.group(1)), unit);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("must be a number of bytes, optionally with k, m or g, " + allowed());
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be a number of bytes " + allowed());
            }
            return value;
        }

        private String allowed() {
            return max == Long.MAX_VALUE ? "of at least " + format(min) : "from " + format(min) + " to " + format(max);
        }

        @Override
        public String typeName() {
            return "bytes";
        }

        @Override
        public String range() {
            return max == Long.MAX_VALUE ? ">= " + format(min) : format(min) + ".." + format(max);
        }

        @Override
        public String format(Long value) {
            long bytes = value;
            if (bytes != 0 && bytes % GIB == 0) {
                return bytes / GIB + "g";
            }
            if (bytes != 0 && bytes % MIB == 0) {
                return bytes / MIB + "m";
            }
            if (bytes != 0 && bytes % KIB == 0) {
                return bytes / KIB + "k";
            }
            return Long.toString(bytes);
        }
    }

    private enum DurationType implements ValueType<Duration> {
        ANY, POSITIVE;

        private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

        @Override
        public Duration parse(String text) {
            Matcher matcher = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
            if (!matcher.matches()) {
                throw new IllegalArgumentException("must be a duration" + (this == POSITIVE ? " above 0" : "")
                                                           + " such as 30s, 500ms or 2m (a bare number is seconds)");
            }
            BigDecimal seconds = switch (matcher.group(2) == null ? "s" : matcher.group(2)) {
                case "ms" -> new BigDecimal(matcher.group(1)).movePointLeft(3);
                case "m" -> new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(60));
                case "h" -> new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(3600));
                default -> new BigDecimal(matcher.group(1));
            };
            Duration value;
            try {
                value = Duration.ofNanos(seconds.multiply(NANOS_PER_SECOND).longValueExact());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("must be a duration of at most 292 years, in whole nanoseconds");
            }
            if (this == POSITIVE && value.isZero()) {
                throw new IllegalArgumentException("must be a duration above 0");
            }
            return value;
        }

        @Override
        public String typeName() {
            return "duration";
        }

        @Override
        public String range() {
            return this == POSITIVE ? "> 0" : "";
        }

        @Override
        public String format(Duration value) {
            long millis = value.toMillis();
            if (!Duration.ofMillis(millis).equals(value)) {
                return BigDecimal.valueOf(value.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString() + "s";
            }
            if (millis != 0 && millis % 3_600_000 == 0) {
                return millis / 3_600_000 + "h";
            }
            if (millis != 0 && millis % 60_000 == 0) {
                return millis / 60_000 + "m";
            }
            if (millis % 1000 == 0) {
                return millis / 1000 + "s";
            }
            return millis + "ms";
        }
    }

    private enum BooleanType implements ValueType<Boolean> {
        INSTANCE;

        @Override
        public Boolean parse(String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes", "on" -> true;
                case "false", "0", "no", "off" -> false;
                default -> throw new IllegalArgumentException("must be true or false");
            };
        }

        @Override
        public String typeName() {
            return "boolean";
        }
    }

    private record EnumType<E extends Enum<E>>(Class<E> type) implements ValueType<E> {
        EnumType {
            requireNonNull(type, "type is null");
        }

        @Override
        public E parse(String text) {
            String wanted = text.strip().toLowerCase(Locale.ROOT);
            for (E constant : type.getEnumConstants()) {
                if (format(constant).equals(wanted)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("must be " + choices(" or "));
        }

        private String choices(String last) {
            List<String> names = Arrays.stream(type.getEnumConstants()).map(this::format).toList();
            return names.size() == 1 ? names.getFirst()
                    : String.join(", ", names.subList(0, names.size() - 1)) + last + names.getLast();
        }

        @Override
        public String typeName() {
            return "enum";
        }

        @Override
        public String range() {
            return String.join(", ", Arrays.stream(type.getEnumConstants()).map(this::format).toList());
        }

        @Override
        public String format(E value) {
            return value.name().toLowerCase(Locale.ROOT);
        }
    }

    private record ListType<T>(ValueType<T> element) implements ValueType<List<T>> {
        ListType {
            requireNonNull(element, "element is null");
        }

        @Override
        public List<T> parse(String text) {
            List<T> values = new ArrayList<>();
            int index = 0;
            for (String part : text.split(",")) {
                String entry = part.strip();
                if (entry.isEmpty()) {
                    continue;
                }
                index++;
                try {
                    values.add(element.parse(entry));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("entry " + index + " " + e.getMessage());
                }
            }
            return List.copyOf(values);
        }

        @Override
        public String typeName() {
            return "list of " + element.typeName();
        }

        @Override
        public String range() {
            return element.range();
        }

        @Override
        public String format(List<T> value) {
            return String.join(",", value.stream().map(element::format).toList());
        }

        @Override
        public boolean secret() {
            return element.secret();
        }

        @Override
        public List<String> secretsIn(List<T> value) {
            return value.stream().flatMap(entry -> element.secretsIn(entry).stream()).toList();
        }
    }

    private enum PairsType implements ValueType<Map<String, String>> {
        STRICT, BARE_ALLOWED;

        @Override
        public Map<String, String> parse(String text) {
            Map<String, String> pairs = new LinkedHashMap<>();
            for (String part : text.split(",")) {
                String entry = part.strip();
                if (entry.isEmpty()) {
                    continue;
                }
                int equals = entry.indexOf('=');
                if (equals < 0 && this == STRICT) {
                    throw new IllegalArgumentException("must be name=value pairs separated by commas");
                }
                String name = equals < 0 ? entry : entry.substring(0, equals).strip();
                String value = equals < 0 ? entry : entry.substring(equals + 1).strip();
                if (name.isEmpty() || value.isEmpty()) {
                    throw new IllegalArgumentException("has an empty name or value");
                }
                pairs.put(name, value);
            }
            return Collections.unmodifiableMap(pairs);
        }

        @Override
        public String typeName() {
            return "pairs";
        }

        @Override
        public String range() {
            return this == STRICT ? "name=value,..." : "name or name=value,...";
        }

        @Override
        public String format(Map<String, String> value) {
            return String.join(",", value.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).toList());
        }
    }

    private enum UrlType implements ValueType<URI> {
        INSTANCE;

        @Override
        public URI parse(String text) {
            String trimmed = text.strip().replaceAll("/+$", "");
            URI uri;
            try {
                uri = new URI(trimmed);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("must be an absolute http(s) URL");
            }
            if (!List.of("http", "https").contains(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("must be an absolute http(s) URL");
            }
            return uri;
        }

        @Override
        public String typeName() {
            return "url";
        }

        @Override
        public String range() {
            return "http(s)";
        }
    }

    private enum PathType implements ValueType<Path> {
        INSTANCE;

        @Override
        public Path parse(String text) {
            try {
                return Path.of(text.strip());
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("must be a file path");
            }
        }

        @Override
        public String typeName() {
            return "path";
        }
    }

    private enum ArgumentsType implements ValueType<List<String>> {
        INSTANCE;

        @Override
        public List<String> parse(String text) {
            List<String> args = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            char quote = 0;
            boolean inArg = false;
            for (char c : text.toCharArray()) {
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else {
                        current.append(c);
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                    inArg = true;
                } else if (Character.isWhitespace(c)) {
                    if (inArg) {
                        args.add(current.toString());
                        current.setLength(0);
                        inArg = false;
                    }
                } else {
                    current.append(c);
                    inArg = true;
                }
            }
            if (quote != 0) {
                throw new IllegalArgumentException("must close every quote it opens");
            }
            if (inArg) {
                args.add(current.toString());
            }
            return List.copyOf(args);
        }

        @Override
        public String typeName() {
            return "arguments";
        }

        @Override
        public String format(List<String> value) {
            return String.join(" ", value.stream().map(arg -> arg.isEmpty() || arg.chars().anyMatch(Character::isWhitespace)
                    ? "'" + arg + "'" : arg).toList());
        }
    }

    private enum TenantKeysType implements ValueType<TenantKeys> {
        INSTANCE;

        @Override
        public TenantKeys parse(String text) {
            return TenantKeys.parse(text);
        }

        @Override
        public String typeName() {
            return "key:tenant list";
        }

        @Override
        public boolean secret() {
            return true;
        }

        @Override
        public String format(TenantKeys value) {
            return value.size() + " keys";
        }

        @Override
        public List<String> secretsIn(TenantKeys value) {
            return value.keys();
        }
    }
}
