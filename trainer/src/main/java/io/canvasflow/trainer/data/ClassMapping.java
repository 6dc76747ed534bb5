package io.canvasflow.trainer.data;

import io.canvasflow.schemas.LabelMetadata;
import io.canvasflow.synthetic.ClassTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a source's class labels onto the classes a model learns. A pixel whose class maps to nothing
 * gets the ignore label (255) and is left out of losses and scores: it is never silently called
 * background.
 *
 * <p>A map file has one line per source class, {@code source = target}; the target {@code ignore}
 * drops the class; {@code #} starts a comment. Every source class must appear. The targets, in the
 * order they first appear, are the model's classes.
 */
public final class ClassMapping {

    /** The target that drops a class. */
    public static final String IGNORE = "ignore";

    private final ClassTable source;
    private final ClassTable target;
    private final byte[] table = new byte[256];

    /**
     * @throws DatasetException when either table names a class twice: a class is looked up by name
     *     and the first wins, so the other's labels would silently become it
     */
    private ClassMapping(ClassTable source, ClassTable target, Map<String, String> byName) {
        refuseRepeated(source, "the data's");
        refuseRepeated(target, "the model's");
        this.source = source;
        this.target = target;
        Arrays.fill(table, (byte) ClassTable.IGNORE_LABEL);
        for (int i = 0; i < source.size(); i++) {
            String to = byName.get(source.name(i));
            int index = to == null ? -1 : target.indexOf(to);
            if (index >= 0) {
                table[i] = (byte) index;
            }
        }
    }

    private static void refuseRepeated(ClassTable classes, String whose) {
        String twice = LabelMetadata.repeatedClass(classes.names());
        if (twice != null) {
            throw new DatasetException(
                    whose
                            + " classes "
                            + classes.names()
                            + " name '"
                            + twice
                            + "' twice, so its labels cannot be told apart; give each class a"
                            + " name of its own");
        }
    }

    /** Every class to itself. */
    public static ClassMapping identity(ClassTable classes) {
        Map<String, String> same = new LinkedHashMap<>();
        classes.names().forEach(n -> same.put(n, n));
        return new ClassMapping(classes, classes, same);
    }

    /**
     * Reads a map file's lines, without the data: what {@code --class-map} is checked with before
     * any data is read.
     *
     * @param file the map
     * @return each source class and its target (or {@code ignore}), in the file's order
     * @throws DatasetException naming the file and line, when it cannot be read or a line is not
     *     {@code source = target}
     */
    public static Map<String, String> lines(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DatasetException("Cannot read the class map " + file + ": " + e, e);
        }
        Map<String, String> byName = new LinkedHashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).replaceFirst("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("=", -1);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new DatasetException(
                        "Class map "
                                + file
                                + " line "
                                + (n + 1)
                                + " should read 'source = target', not '"
                                + line
                                + "'");
            }
            byName.put(parts[0].trim(), parts[1].trim());
        }
        return byName;
    }

    /**
     * Reads a map file for {@code source}.
     *
     * @throws DatasetException naming the file, when it cannot be read, a line is not {@code source
     *     = target} (with the line), a source class is missing from it, or it names a class the
     *     source does not have
     */
    public static ClassMapping read(Path file, ClassTable source) {
        Map<String, String> byName = lines(file);
        for (String from : byName.keySet()) {
            if (source.indexOf(from) < 0) {
                throw new DatasetException(
                        "Class map "
                                + file
                                + " names class '"
                                + from
                                + "', which the data does not have (it has "
                                + source.names()
                                + ")");
            }
        }
        for (String name : source.names()) {
            if (!byName.containsKey(name)) {
                throw new DatasetException(
                        "Class map "
                                + file
                                + " does not say what the data's class '"
                                + name
                                + "' becomes; add a line '"
                                + name
                                + " = CLASS' or '"
                                + name
                                + " = ignore'");
            }
        }
        ClassMapping mapping = of(source, byName);
        if (mapping == null) {
            throw new DatasetException("Class map " + file + " maps every class to ignore");
        }
        return mapping;
    }

    /**
     * The mapping a model recorded in its lineage ({@link #names}), for {@code source}.
     *
     * @param recorded source class to target class or {@code ignore}
     * @return the mapping, or null when it does not name every class of {@code source} or maps them
     *     all to ignore
     */
    public static ClassMapping recorded(Map<?, ?> recorded, ClassTable source) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String name : source.names()) {
            if (!(recorded.get(name) instanceof String to)) {
                return null;
            }
            byName.put(name, to);
        }
        return of(source, byName);
    }

    /** The targets, in the order they first appear, coloured as their first source; or null. */
    private static ClassMapping of(ClassTable source, Map<String, String> byName) {
        List<String> targets = new ArrayList<>();
        for (String to : byName.values()) {
            if (!to.toLowerCase(Locale.ROOT).equals(IGNORE) && !targets.contains(to)) {
                targets.add(to);
            }
        }
        if (targets.isEmpty()) {
            return null;
        }
        int[] colors = new int[targets.size()];
        for (int i = 0; i < colors.length; i++) {
            int from = source.indexOf(firstSourceOf(byName, targets.get(i)));
            colors[i] = source.color(from);
        }
        return new ClassMapping(source, new ClassTable(targets, colors), byName);
    }

    private static String firstSourceOf(Map<String, String> byName, String target) {
        return byName.entrySet().stream()
                .filter(e -> e.getValue().equals(target))
                .findFirst()
                .orElseThrow()
                .getKey();
    }

    /**
     * The same mapping into {@code classes}' label order, for a model whose classes already include
     * every target (so it keeps its head).
     *
     * @return the mapping, or null when a target is not among {@code classes}
     */
    public ClassMapping into(ClassTable classes) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (int i = 0; i < source.size(); i++) {
            int t = table[i] & 0xff;
            if (t != ClassTable.IGNORE_LABEL) {
                String name = target.name(t);
                if (classes.indexOf(name) < 0) {
                    return null;
                }
                byName.put(source.name(i), name);
            }
        }
        return new ClassMapping(source, classes, byName);
    }

    /**
     * Each source class and what it becomes, a target class or {@code ignore}, in the source's
     * order: what a model's lineage records, for {@link #recorded}.
     */
    public Map<String, String> names() {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < source.size(); i++) {
            int t = table[i] & 0xff;
            out.put(source.name(i), t == ClassTable.IGNORE_LABEL ? IGNORE : target.name(t));
        }
        return out;
    }

    /** The classes labels are mapped to. */
    public ClassTable target() {
        return target;
    }

    /** Maps labels; 255 and values the source does not define stay ignored. */
    public byte[] apply(byte[] labels) {
        byte[] out = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = table[labels[i] & 0xff];
        }
        return out;
    }
}
