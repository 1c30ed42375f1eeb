package io.llmgateway.backend.mock;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.github.curiousoddman.rgxgen.RgxGen;
import com.github.curiousoddman.rgxgen.config.RgxGenOption;
import com.github.curiousoddman.rgxgen.config.RgxGenProperties;
import io.llmgateway.api.GatewayException;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Strings for a string schema: an example of its {@code format} (date-time, date, time, duration, email,
 * hostname, ipv4, ipv6, uri, uri-reference, uuid, json-pointer, byte, ...), else words of the input, within
 * {@code minLength}/{@code maxLength} (counted in code points, as JSON Schema counts); a {@code pattern}
 * (searched, as JSON Schema does, with Java's engine) that the candidates do not match is generated from
 * with RgxGen.
 */
final class StringInstances {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final int PATTERN_TRIES = 40;
    private static final Pattern ECMA_PROPERTY = Pattern.compile("\\\\([pP])\\{(?!Is|In)([A-Za-z_]+)}");
    private static final Pattern ECMA_CODE_POINT = Pattern.compile("\\\\u\\{([0-9a-fA-F]{1,6})}");
    /** How often RgxGen repeats {@code *} and {@code +}: keeps generated strings short. */
    private static final int REPETITION = 6;

    private StringInstances() {
    }

    static JsonString generate(JsonObject schema, String param, Seed seed, Words words) {
        int min = length(schema, "minLength", param).orElse(0);
        OptionalInt maxLength = length(schema, "maxLength", param);
        int max = maxLength.orElse(Integer.MAX_VALUE);
        if (min > max) {
            throw GatewayException.invalidRequest("'" + param + "': minLength " + min + " is above maxLength " + max,
                                                  param + ".minLength");
        }
        List<Pattern> patterns = patterns(schema, param);
        List<String> candidates = new ArrayList<>();
        if (schema.get("format") instanceof JsonString format) {
            candidates.addAll(formatted(format.getString(), seed, words));
        }
        String phrase = words.phrase(seed);
        candidates.add(phrase);
        candidates.add(fit(phrase, min, max));
        for (String candidate : candidates) {
            if (fits(candidate, min, max, patterns)) {
                return jsonString(candidate);
            }
        }
        if (patterns.isEmpty()) {
            return jsonString(fit(phrase, min, max));
        }
        return jsonString(fromPattern(patterns, min, max, param, seed));
    }

    private static String fromPattern(List<Pattern> patterns, int min, int max, String param, Seed seed) {
        String pattern = patterns.getFirst().pattern();
        Random random = seed.random();
        for (String source : List.of(pattern, withoutLookarounds(pattern))) {
            RgxGen generator;
            try {
                RgxGenProperties properties = new RgxGenProperties();
                RgxGenOption.INFINITE_PATTERN_REPETITION.setInProperties(properties, REPETITION);
                generator = RgxGen.parse(properties, source);
            } catch (RuntimeException e) {
                continue;
            }
            String found = generated(generator, random, min, max, patterns);
            if (found != null) {
                return found;
            }
        }
        throw unmatchable(param, pattern, min, max);
    }

    /** A string RgxGen made that passes every check, or null after enough tries. */
    private static String generated(RgxGen generator, Random random, int min, int max, List<Pattern> patterns) {
        for (int i = 0; i < PATTERN_TRIES; i++) {
            String generated;
            try {
                generated = generator.generate(random);
            } catch (RuntimeException e) {
                break;
            }
            if (fits(generated, min, max, patterns)) {
                return generated;
            }
            String padded = fit(generated, min, max);
            if (fits(padded, min, max, patterns)) {
                return padded;
            }
        }
        return null;
    }

    /**
     * The pattern without its lookahead and lookbehind groups, which RgxGen does not follow: what it
     * generates from the rest is then checked against the whole pattern.
     */
    static String withoutLookarounds(String pattern) {
        StringBuilder kept = new StringBuilder(pattern.length());
        int skipDepth = -1;
        int depth = 0;
        boolean inClass = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                if (skipDepth < 0) {
                    kept.append(c).append(pattern.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
                if (skipDepth < 0 && (pattern.startsWith("(?=", i) || pattern.startsWith("(?!", i)
                        || pattern.startsWith("(?<=", i) || pattern.startsWith("(?<!", i))) {
                    skipDepth = depth;
                    continue;
                }
            } else if (c == ')') {
                depth--;
                if (skipDepth == depth + 1) {
                    skipDepth = -1;
                    continue;
                }
            }
            if (skipDepth < 0) {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    private static GatewayException unmatchable(String param, String pattern, int min, int max) {
        String limits = min > 0 || max < Integer.MAX_VALUE ? " within its length limits" : "";
        return GatewayException.invalidRequest("'" + param + ".pattern': the mock backend cannot generate a string that"
                                                       + " matches /" + pattern + "/" + limits, param + ".pattern");
    }

    private static boolean fits(String candidate, int min, int max, List<Pattern> patterns) {
        int length = candidate.codePointCount(0, candidate.length());
        if (length < min || length > max) {
            return false;
        }
        for (Pattern pattern : patterns) {
            if (!pattern.matcher(candidate).find()) {
                return false;
            }
        }
        return true;
    }

    /** Repeats the text up to {@code min} code points and cuts it at {@code max}. */
    static String fit(String text, int min, int max) {
        String base = text.isEmpty() ? "x" : text;
        StringBuilder fitted = new StringBuilder(text);
        while (fitted.codePointCount(0, fitted.length()) < min) {
            fitted.append(fitted.isEmpty() ? "" : " ").append(base);
        }
        if (fitted.codePointCount(0, fitted.length()) > max) {
            return fitted.substring(0, fitted.offsetByCodePoints(0, max));
        }
        return fitted.toString();
    }

    private static List<String> formatted(String format, Seed seed, Words words) {
        Random random = seed.derive("format").random();
        String word = words.asciiWord(seed);
        String date = String.format(Locale.ROOT, "2025-%02d-%02d", 1 + random.nextInt(12), 1 + random.nextInt(28));
        String time = String.format(Locale.ROOT, "%02d:%02d:%02d", random.nextInt(24), random.nextInt(60), random.nextInt(60));
        return switch (format) {
            case "date-time" -> List.of(date + "T" + time + "Z");
            case "date" -> List.of(date);
            case "time" -> List.of(time + "Z", time);
            case "duration" -> List.of("P" + (1 + random.nextInt(9)) + "D", "PT" + (1 + random.nextInt(9)) + "H");
            case "email", "idn-email" -> List.of(word + "@example.com");
            case "hostname", "idn-hostname" -> List.of(word + ".example.com");
            case "ipv4" -> List.of("192.0.2." + (1 + random.nextInt(254)));
            case "ipv6" -> List.of("2001:db8::" + Integer.toHexString(1 + random.nextInt(0xfffe)));
            case "uri", "iri", "url" -> List.of("https://example.com/" + word);
            case "uri-reference", "iri-reference" -> List.of("/" + word);
            case "uri-template" -> List.of("https://example.com/" + word + "/{id}");
            case "uuid" -> List.of(uuid(random));
            case "json-pointer" -> List.of("/" + word);
            case "relative-json-pointer" -> List.of("0/" + word);
            case "regex" -> List.of("^" + word + "$");
            case "emoji" -> List.of("\uD83D\uDC4D");
            case "byte", "base64" -> List.of(Base64.getEncoder().encodeToString(word.getBytes(StandardCharsets.UTF_8)));
            default -> List.of();
        };
    }

    /** A version-4 UUID from the seed. */
    private static String uuid(Random random) {
        long high = (random.nextLong() & 0xffffffffffff0fffL) | 0x4000L;
        long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static List<Pattern> patterns(JsonObject schema, String param) {
        List<Pattern> patterns = new ArrayList<>();
        JsonValue pattern = schema.get("pattern");
        if (pattern != null) {
            patterns.add(compile(pattern, param + ".pattern"));
        }
        if (schema.get(SchemaMerger.MORE_PATTERNS) instanceof JsonArray more) {
            more.forEach(value -> patterns.add(compile(value, param + ".allOf")));
        }
        return patterns;
    }

    private static Pattern compile(JsonValue pattern, String param) {
        if (!(pattern instanceof JsonString text)) {
            throw GatewayException.invalidRequest("'" + param + "' must be a string (a regular expression)", param);
        }
        try {
            return Pattern.compile(text.getString());
        } catch (PatternSyntaxException e) {
            try {
                return Pattern.compile(javaSpelling(text.getString()));
            } catch (PatternSyntaxException ignored) {
                throw GatewayException.invalidRequest("'" + param + "' is not a valid regular expression: "
                                                              + e.getDescription(), param);
            }
        }
    }

    /** ECMAScript spellings that Java spells otherwise: property names without "Is", code points in braces, [^]. */
    static String javaSpelling(String pattern) {
        String spelled = ECMA_PROPERTY.matcher(pattern).replaceAll("\\\\$1{Is$2}");
        spelled = ECMA_CODE_POINT.matcher(spelled).replaceAll("\\\\x{$1}");
        return spelled.replace("[^]", "[\\s\\S]");
    }

    private static OptionalInt length(JsonObject schema, String keyword, String param) {
        JsonValue value = schema.get(keyword);
        if (value == null) {
            return OptionalInt.empty();
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral() || number.bigDecimalValue().signum() < 0
                || number.bigDecimalValue().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw GatewayException.invalidRequest("'" + param + "." + keyword + "' must be a non-negative integer",
                                                  param + "." + keyword);
        }
        return OptionalInt.of(number.intValue());
    }

    private static JsonString jsonString(String text) {
        return JSON.createValue(text);
    }
}
