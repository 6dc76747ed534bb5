package io.canvasflow.clients;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parsing of the command lines' {@code WxH} sizes and topic names (durations: cli-options'
 * converter).
 */
public final class CliValues {

    /** The longest side a size may have: 8K video is 7680 wide; more is a typo, not a camera. */
    public static final int MAX_SIDE = 8192;

    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})[xX](\\d{1,5})");

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
     * Checks a topic name by Kafka's own rule (ASCII letters, digits, '.', '_' and '-', at most 249
     * characters, not '.' or '..'), so that a bad one is refused with the other options rather than
     * by the broker after work has started.
     *
     * @param name the option's value
     * @return the name
     * @throws IllegalArgumentException with Kafka's sentence when the name is not a topic name
     */
    public static String topicName(String name) {
        try {
            Topic.validate(name);
            return name;
        } catch (InvalidTopicException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
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
