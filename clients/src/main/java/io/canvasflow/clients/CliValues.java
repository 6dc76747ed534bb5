package io.canvasflow.clients;

import io.canvasflow.schemas.TopicNames;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
