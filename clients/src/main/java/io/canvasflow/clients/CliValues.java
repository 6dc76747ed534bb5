package io.canvasflow.clients;

import io.canvasflow.schemas.TopicNames;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parsing of the command lines' {@code WxH} sizes, byte counts and topic names (durations:
 * cli-options' converter).
 */
public final class CliValues {

    /** The longest side a size may have: 8K video is 7680 wide; more is a typo, not a camera. */
    public static final int MAX_SIDE = 8192;

    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})[xX](\\d{1,5})");

    private static final Pattern BYTES = Pattern.compile("(\\d{1,13})([kKmMgG]?)");

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
            if (width > 0 && height > 0 && width <= MAX_SIDE && height <= MAX_SIDE) {
                return new int[] {width, height};
            }
        }
        throw new IllegalArgumentException(
                flag
                        + " expects WIDTHxHEIGHT, each from 1 to "
                        + MAX_SIDE
                        + ", for example 640x360, not '"
                        + value
                        + "'");
    }

    /**
     * Parses a byte count as {@code -Xmx} and {@code CANVASFLOW_HEAP} write it: digits, then {@code
     * k}, {@code m} or {@code g} for KiB, MiB or GiB, or nothing for bytes.
     *
     * @param value the option's value
     * @param flag the option, for the message
     * @return the bytes; {@link Long#MAX_VALUE} for more than a long holds
     * @throws IllegalArgumentException naming the flag when the value is malformed
     */
    public static long bytes(String value, String flag) {
        Matcher m = BYTES.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    flag
                            + " expects a size such as 512m or 2g (k, m, g: KiB, MiB, GiB), not '"
                            + value
                            + "'");
        }
        int shift = "kmg".indexOf(Character.toLowerCase((m.group(2) + " ").charAt(0))) + 1;
        long digits = Long.parseLong(m.group(1));
        return digits > (Long.MAX_VALUE >> (10 * shift)) ? Long.MAX_VALUE : digits << (10 * shift);
    }

    /**
     * Checks a topic name by Kafka's own rule ({@link TopicNames#problem}), so that a bad one is
     * refused with the other options rather than by the broker after work has started.
     *
     * @param name the option's value
     * @return the name
     * @throws IllegalArgumentException with Kafka's sentence when the name is not a topic name
     */
    public static String topicName(String name) {
        String problem = TopicNames.problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return name;
    }

    /** A topic-name option's converter: {@link #topicName} at parse time. */
    public static final class TopicName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return topicName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
