package io.canvasflow.clients;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsing of the command lines' sizes and durations. */
public final class CliValues {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})[xX](\\d{1,5})");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private CliValues() {}

    /**
     * Parses {@code WxH}.
     *
     * @param value the option's value
     * @param flag the option, for the message
     * @return {@code {width, height}}
     * @throws IllegalArgumentException naming the flag when the value is malformed
     */
    public static int[] size(String value, String flag) {
        Matcher m = SIZE.matcher(value.trim());
        if (m.matches()) {
            int width = Integer.parseInt(m.group(1));
            int height = Integer.parseInt(m.group(2));
            if (width > 0 && height > 0) {
                return new int[] {width, height};
            }
        }
        throw new IllegalArgumentException(
                flag + " expects WIDTHxHEIGHT, for example 640x360, not '" + value + "'");
    }

    /** Reads {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 {@code PT30S}. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
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
    }
}
