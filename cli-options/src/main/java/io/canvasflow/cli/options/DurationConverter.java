package io.canvasflow.cli.options;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 {@code PT30S}. */
public final class DurationConverter implements ITypeConverter<Duration> {

    /**
     * The longest duration taken, about 11 years: longer ones are typos, and past 292 years a
     * duration no longer fits the nanoseconds the commands wait in.
     */
    static final Duration MAX = Duration.ofHours(100_000);

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        Duration d = parse(value);
        if (d.compareTo(MAX) > 0) {
            throw new TypeConversionException(
                    "expected a duration of at most "
                            + MAX.toHours()
                            + "h but found '"
                            + value
                            + "'");
        }
        return d;
    }

    private static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(v);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            double millis =
                    switch (m.group(2)) {
                        case "ms" -> amount;
                        case "s" -> amount * 1e3;
                        case "m" -> amount * 60e3;
                        default -> amount * 3600e3;
                    };
            return Duration.ofMillis(Math.round(millis));
        }
        try {
            return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new TypeConversionException(
                    "expected a duration such as 500ms, 30s, 5m, 1h or PT30S but found '"
                            + value
                            + "'");
        }
    }

    /** A duration that must be longer than zero: a timeout, an interval. */
    public static final class Positive implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = new DurationConverter().convert(value);
            if (d.isNegative() || d.isZero()) {
                throw new TypeConversionException(
                        "expected a duration longer than zero but found '" + value + "'");
            }
            return d;
        }
    }
}
