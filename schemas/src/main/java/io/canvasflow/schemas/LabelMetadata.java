package io.canvasflow.schemas;

import java.util.Arrays;
import java.util.List;

/**
 * The {@code Frame.metadata} keys of a labelled frame. A frame's {@code groundTruth} PNG holds
 * class indices; these say what the indices mean and who chose them.
 */
public final class LabelMetadata {

    /** The class names the label indices refer to, in index order, comma-separated. */
    public static final String CLASSES = "labels.classes";

    /** Who labelled the frame: a teacher's description ({@code motion:mog2(...)}) or a person. */
    public static final String TEACHER = "labels.teacher";

    /** The file, stream or topic the frame was read from before labelling. */
    public static final String SOURCE = "labels.source";

    private LabelMetadata() {}

    /**
     * Joins class names for {@link #CLASSES}.
     *
     * @param names class names in index order, none containing a comma
     * @return the metadata value
     */
    public static String joinClasses(List<String> names) {
        for (String n : names) {
            if (n.contains(",")) {
                throw new IllegalArgumentException("a class name cannot contain a comma: " + n);
            }
        }
        return String.join(",", names);
    }

    /**
     * Splits a {@link #CLASSES} value.
     *
     * @param value the metadata value
     * @return class names in index order
     */
    public static List<String> splitClasses(String value) {
        return Arrays.stream(value.split(",", -1)).map(String::trim).toList();
    }
}
