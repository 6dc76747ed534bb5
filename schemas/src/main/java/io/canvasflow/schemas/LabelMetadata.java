package io.canvasflow.schemas;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
     * @param names class names in index order, fit for it ({@link #classesProblem})
     * @return the metadata value
     * @throws IllegalArgumentException naming the class that is not
     */
    public static String joinClasses(List<String> names) {
        String problem = classesProblem(names);
        if (problem != null) {
            throw new IllegalArgumentException("the classes " + names + ": " + problem);
        }
        return String.join(",", names);
    }

    /**
     * What makes class names unfit for {@link #CLASSES}, where a topic's labelled frames carry them
     * and a VOC folder's {@code class_names.txt} lists them: the rule {@link #joinClasses} applies,
     * for a command to check before it makes anything.
     *
     * @param names class names in index order
     * @return a clause naming the first name that is unfit and why, or null when all are fit
     */
    public static String classesProblem(List<String> names) {
        for (String n : names) {
            if (n.isBlank()) {
                return "a class name is blank";
            }
            if (n.contains(",")) {
                return "class name '" + n + "' holds a comma, which separates the names";
            }
            if (!n.equals(n.strip())) {
                // splitClasses and a VOC folder's reader strip it: the name read back differs
                return "class name '"
                        + n
                        + "' starts or ends with a space, which is dropped when it is read back";
            }
        }
        String twice = repeatedClass(names);
        return twice == null
                ? null
                : "class name '"
                        + twice
                        + "' is given twice, and each class needs a name of its own";
    }

    /**
     * The first class name given more than once: a label could then mean either class, and a class
     * looked up by name is always the first.
     *
     * @param names class names in index order
     * @return the name, or null when every name is given once
     */
    public static String repeatedClass(List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                return n;
            }
        }
        return null;
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
