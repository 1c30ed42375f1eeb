package io.llmgateway.backend.mock;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Optional;

import io.llmgateway.api.GatewayException;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Numbers and integers within {@code minimum}/{@code maximum} (inclusive, or exclusive in the draft-04 and
 * the later form) on the grid of {@code multipleOf}, exact in decimal arithmetic. Without bounds they lie
 * in 0 to 100.
 */
final class NumberInstances {

    private static final BigDecimal SPAN = BigDecimal.valueOf(100);
    private static final BigDecimal HALF = new BigDecimal("0.5");
    private static final BigInteger MAX_OFFSET = BigInteger.valueOf(1000);
    private static final JsonProvider JSON = JsonProvider.provider();

    private NumberInstances() {
    }

    static JsonNumber generate(JsonObject schema, boolean integer, String param, Seed seed) {
        Optional<Bound> lower = bound(schema, "minimum", "exclusiveMinimum", param);
        Optional<Bound> upper = bound(schema, "maximum", "exclusiveMaximum", param);
        Bound lo = lower.orElseGet(() -> new Bound(upper.map(b -> b.value().signum() > 0 ? BigDecimal.ZERO : b.value().subtract(SPAN))
                                                           .orElse(BigDecimal.ZERO), false, "minimum"));
        Bound hi = upper.orElseGet(() -> new Bound(lo.value().max(BigDecimal.ZERO).add(SPAN), false, "maximum"));
        Optional<BigDecimal> multipleOf = multipleOf(schema, param);
        BigDecimal step = multipleOf.map(m -> integer ? lcmWithOne(m) : m)
                .orElse(integer ? BigDecimal.ONE : HALF);

        BigInteger kmin = ceil(lo.value().divide(step, 0, RoundingMode.CEILING), lo, step);
        BigInteger kmax = floor(hi.value().divide(step, 0, RoundingMode.FLOOR), hi, step);
        if (kmin.compareTo(kmax) <= 0) {
            // a range around zero (zod's safe-integer bounds) yields 0 to 100 rather than -9e15
            BigInteger from = kmin.signum() < 0 && kmax.signum() >= 0 ? BigInteger.ZERO : kmin;
            BigInteger window = SPAN.divide(step, 0, RoundingMode.FLOOR).toBigInteger().max(BigInteger.ONE).min(MAX_OFFSET);
            BigInteger span = kmax.subtract(from).min(window).add(BigInteger.ONE);
            BigInteger k = from.add(BigInteger.valueOf(seed.pick(span.intValueExact())));
            return number(step.multiply(new BigDecimal(k)), integer);
        }
        if (multipleOf.isEmpty() && !integer) {
            // no point of the coarse grid inside: the middle of the range
            BigDecimal middle = lo.value().add(hi.value()).divide(BigDecimal.TWO);
            if (lo.admits(middle, true) && hi.admits(middle, false)) {
                return number(middle, false);
            }
        }
        String at = multipleOf.isPresent() ? param + ".multipleOf" : param + "." + lo.keyword();
        throw GatewayException.invalidRequest("'" + param + "': no " + (integer ? "integer" : "number")
                                                      + " satisfies its bounds" + (multipleOf.isPresent() ? " and multipleOf" : ""),
                                              at);
    }

    private static BigInteger ceil(BigDecimal quotient, Bound lo, BigDecimal step) {
        BigInteger k = quotient.toBigIntegerExact();
        return lo.exclusive() && step.multiply(new BigDecimal(k)).compareTo(lo.value()) == 0 ? k.add(BigInteger.ONE) : k;
    }

    private static BigInteger floor(BigDecimal quotient, Bound hi, BigDecimal step) {
        BigInteger k = quotient.toBigIntegerExact();
        return hi.exclusive() && step.multiply(new BigDecimal(k)).compareTo(hi.value()) == 0 ? k.subtract(BigInteger.ONE) : k;
    }

    /** The smallest positive multiple of m that is an integer. */
    private static BigDecimal lcmWithOne(BigDecimal m) {
        int scale = Math.max(m.scale(), 0);
        BigInteger numerator = m.movePointRight(scale).toBigIntegerExact();
        BigInteger denominator = BigInteger.TEN.pow(scale);
        BigInteger lcm = numerator.divide(numerator.gcd(denominator)).multiply(denominator);
        return new BigDecimal(lcm).movePointLeft(scale).setScale(0, RoundingMode.UNNECESSARY);
    }

    private static JsonNumber number(BigDecimal value, boolean integer) {
        BigDecimal stripped = value.stripTrailingZeros();
        if (integer || stripped.scale() <= 0) {
            return JSON.createValue(stripped.toBigIntegerExact());
        }
        return JSON.createValue(stripped);
    }

    private static Optional<BigDecimal> multipleOf(JsonObject schema, String param) {
        JsonValue value = schema.get("multipleOf");
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonNumber number) || number.bigDecimalValue().signum() <= 0) {
            throw GatewayException.invalidRequest("'" + param + ".multipleOf' must be a number above 0", param + ".multipleOf");
        }
        return Optional.of(number.bigDecimalValue());
    }

    private static Optional<Bound> bound(JsonObject schema, String inclusive, String exclusive, String param) {
        JsonValue plain = schema.get(inclusive);
        JsonValue strict = schema.get(exclusive);
        if (plain != null && !(plain instanceof JsonNumber)) {
            throw GatewayException.invalidRequest("'" + param + "." + inclusive + "' must be a number", param + "." + inclusive);
        }
        if (strict != null && !(strict instanceof JsonNumber) && strict != JsonValue.TRUE && strict != JsonValue.FALSE) {
            throw GatewayException.invalidRequest("'" + param + "." + exclusive + "' must be a number", param + "." + exclusive);
        }
        boolean lower = inclusive.equals("minimum");
        Optional<Bound> result = Optional.empty();
        if (plain instanceof JsonNumber number) {
            result = Optional.of(new Bound(number.bigDecimalValue(), strict == JsonValue.TRUE, inclusive));
        }
        if (strict instanceof JsonNumber number) {
            Bound tighter = new Bound(number.bigDecimalValue(), true, exclusive);
            if (result.isEmpty() || (lower ? tighter.value().compareTo(result.get().value()) >= 0
                    : tighter.value().compareTo(result.get().value()) <= 0)) {
                result = Optional.of(tighter);
            }
        }
        return result;
    }

    /**
     * One end of the range.
     *
     * @param value     where it is
     * @param exclusive whether the value itself is out
     * @param keyword   the keyword it comes from, for errors
     */
    private record Bound(BigDecimal value, boolean exclusive, String keyword) {
        boolean admits(BigDecimal candidate, boolean lower) {
            int order = candidate.compareTo(value);
            return lower ? (exclusive ? order > 0 : order >= 0) : (exclusive ? order < 0 : order <= 0);
        }
    }
}
