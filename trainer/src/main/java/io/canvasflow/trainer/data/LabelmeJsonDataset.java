package io.canvasflow.trainer.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.VideoSequence;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Frames a person labelled with labelme: one {@code .json} per image whose polygons (and
 * rectangles, circles) name a class, drawn in file order over {@code _background_}, as labelme's
 * own {@code labelme2voc.py} does. Classes come from a {@code labels.txt} beside the folder or in
 * it ({@code __ignore__} first: the ignore label, then {@code _background_}, then the classes), or
 * else are {@code _background_} and every label used, sorted. Files whose names, in order of prefix
 * and then frame number ({@code f-2} before {@code f-10}), end in consecutive frame numbers after
 * the same prefix ({@code 00000100.json}, {@code 00000101.json}, as a video's frames are named when
 * cut into images), with images of one size, are one camera's sequence, chained as the topology
 * chains a camera's frames; any other file is a photo of its own, as in a VOC or Cityscapes folder,
 * so that unrelated photos are not scored as one seeded from the other.
 */
public final class LabelmeJsonDataset {

    /** labelme's name for pixels left out. */
    public static final String IGNORE = "__ignore__";

    /** labelme's name for unlabelled pixels. */
    public static final String BACKGROUND = "_background_";

    /** A name's trailing frame number and what comes before it. */
    private static final Pattern NUMBERED = Pattern.compile("(.*?)(\\d{1,18})");

    /**
     * By prefix, then frame number, then name: as plain text {@code f-10} sorted before {@code
     * f-2}, and a clip whose frame numbers are not zero-padded was cut into pieces.
     */
    private static final Comparator<Path> FRAME_ORDER =
            Comparator.comparing((Path p) -> prefix(stem(p)))
                    .thenComparingLong(p -> number(stem(p)))
                    .thenComparing(p -> p.getFileName().toString());

    private LabelmeJsonDataset() {}

    /**
     * Reads every {@code .json} of {@code dir}.
     *
     * @throws DatasetException naming the file when the folder has none, a file is not labelme
     *     JSON, its image is missing or does not decode, or a shape names an unknown class
     */
    public static LabelledData read(Path dir, int width, int height) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException("Expected a folder of labelme JSON files at " + dir);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted(FRAME_ORDER).toList();
        } catch (IOException e) {
            throw new DatasetException("Cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new DatasetException("Folder " + dir + " holds no labelme .json files");
        }
        List<JsonObject> docs = new ArrayList<>();
        for (Path f : files) {
            try {
                JsonElement doc = JsonParser.parseString(Files.readString(f));
                if (!doc.isJsonObject()) {
                    throw new DatasetException("Labelme file " + f + " is not a JSON object");
                }
                docs.add(doc.getAsJsonObject());
            } catch (IOException | JsonParseException e) {
                throw new DatasetException(
                        "Labelme file " + f + " is not JSON: " + e.getMessage(), e);
            }
        }
        ClassTable classes = classes(dir, docs);
        List<VideoSequence> sequences = new ArrayList<>();
        List<LabeledFrame> run = new ArrayList<>();
        String runId = null;
        LabeledFrame previous = null;
        for (int i = 0; i < files.size(); i++) {
            LabeledFrame f = frame(files.get(i), docs.get(i), classes);
            boolean follows =
                    previous != null
                            && previous.width() == f.width()
                            && previous.height() == f.height()
                            && nextFrame(stem(files.get(i - 1)), stem(files.get(i)));
            if (!follows && !run.isEmpty()) {
                sequences.add(new VideoSequence(runId, run));
                run = new ArrayList<>();
            }
            if (run.isEmpty()) {
                runId = stem(files.get(i));
            }
            run.add(width > 0 ? LabelledData.resize(f, width, height) : f);
            previous = f;
        }
        sequences.add(new VideoSequence(runId, run));
        Map<String, Object> lineage = LabelledData.lineage("labelme:" + dir, files.size());
        // people drew these labels: evaluate scores mIoU against them, not agreement with a
        // teacher (FootageEvaluation.fromTeacher)
        lineage.put("labelledBy", "people, with labelme");
        return new LabelledData(classes, sequences, "labelme annotations at " + dir, lineage);
    }

    /** Whether {@code b} names the frame after {@code a}'s: the same prefix, the next number. */
    private static boolean nextFrame(String a, String b) {
        Matcher x = NUMBERED.matcher(a);
        Matcher y = NUMBERED.matcher(b);
        return x.matches()
                && y.matches()
                && x.group(1).equals(y.group(1))
                && Long.parseLong(y.group(2)) == Long.parseLong(x.group(2)) + 1;
    }

    /** What comes before a name's trailing frame number, or the whole name if it has none. */
    private static String prefix(String stem) {
        Matcher m = NUMBERED.matcher(stem);
        return m.matches() ? m.group(1) : stem;
    }

    /** A name's trailing frame number, or -1 if it has none. */
    private static long number(String stem) {
        Matcher m = NUMBERED.matcher(stem);
        return m.matches() ? Long.parseLong(m.group(2)) : -1;
    }

    /** The file's name without {@code .json}. */
    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".json".length());
    }

    private static ClassTable classes(Path dir, List<JsonObject> docs) {
        for (Path candidate :
                List.of(dir.resolve("labels.txt"), dir.resolveSibling("labels.txt"))) {
            if (Files.isRegularFile(candidate)) {
                try {
                    List<String> names = new ArrayList<>();
                    for (String line : Files.readAllLines(candidate)) {
                        String name = line.trim();
                        if (!name.isEmpty() && !name.equals(IGNORE)) {
                            names.add(name);
                        }
                    }
                    return ClassTable.withVocPalette(names);
                } catch (IOException e) {
                    throw new DatasetException(
                            "Cannot read " + candidate + ": " + e.getMessage(), e);
                }
            }
        }
        TreeSet<String> used = new TreeSet<>();
        for (JsonObject doc : docs) {
            for (JsonObject shape : shapes(doc)) {
                used.add(text(shape, "label", ""));
            }
        }
        used.remove(IGNORE);
        used.remove(BACKGROUND);
        List<String> names = new ArrayList<>();
        names.add(BACKGROUND);
        names.addAll(used);
        return ClassTable.withVocPalette(names);
    }

    private static LabeledFrame frame(Path file, JsonObject doc, ClassTable classes) {
        BufferedImage image = image(file, doc);
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage labels = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = labels.createGraphics();
        int background = Math.max(0, classes.indexOf(BACKGROUND));
        g.setColor(new Color(background, background, background));
        g.fillRect(0, 0, w, h);
        for (JsonObject shape : shapes(doc)) {
            String name = text(shape, "label", "");
            int value = name.equals(IGNORE) ? ClassTable.IGNORE_LABEL : classes.indexOf(name);
            if (value < 0) {
                throw new DatasetException(
                        "Labelme file "
                                + file
                                + " labels a shape '"
                                + name
                                + "', which is not among the classes "
                                + classes.names());
            }
            g.setColor(new Color(value, value, value));
            g.fill(outline(file, shape));
        }
        g.dispose();
        byte[] values = ((DataBufferByte) labels.getRaster().getDataBuffer()).getData();
        return LabeledFrame.wrap(Images.toSupported(image), values.clone());
    }

    private static java.awt.Shape outline(Path file, JsonObject shape) {
        String type = text(shape, "shape_type", "polygon");
        double[][] p;
        try {
            JsonArray points = shape.getAsJsonArray("points");
            p = new double[points.size()][2];
            for (int i = 0; i < p.length; i++) {
                p[i][0] = points.get(i).getAsJsonArray().get(0).getAsDouble();
                p[i][1] = points.get(i).getAsJsonArray().get(1).getAsDouble();
            }
        } catch (RuntimeException e) {
            p = new double[0][];
        }
        if (p.length < (type.equals("polygon") ? 1 : 2)) {
            throw new DatasetException(
                    "Labelme file "
                            + file
                            + " has a '"
                            + type
                            + "' shape without its points ([[x, y], ...]; two for a rectangle or"
                            + " circle)");
        }
        switch (type) {
            case "rectangle" -> {
                return new Rectangle2D.Double(
                        Math.min(p[0][0], p[1][0]), Math.min(p[0][1], p[1][1]),
                        Math.abs(p[1][0] - p[0][0]), Math.abs(p[1][1] - p[0][1]));
            }
            case "circle" -> {
                double r = Math.hypot(p[1][0] - p[0][0], p[1][1] - p[0][1]);
                return new Ellipse2D.Double(p[0][0] - r, p[0][1] - r, 2 * r, 2 * r);
            }
            case "polygon" -> {
                Path2D.Double path = new Path2D.Double();
                path.moveTo(p[0][0], p[0][1]);
                for (int i = 1; i < p.length; i++) {
                    path.lineTo(p[i][0], p[i][1]);
                }
                path.closePath();
                return path;
            }
            default ->
                    throw new DatasetException(
                            "Labelme file "
                                    + file
                                    + " has a '"
                                    + type
                                    + "' shape; polygons, rectangles and circles label areas");
        }
    }

    private static BufferedImage image(Path file, JsonObject doc) {
        String data = text(doc, "imageData", "");
        if (!data.isEmpty()) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                throw new DatasetException(
                        "The imageData of labelme file "
                                + file
                                + " is not Base64: "
                                + e.getMessage(),
                        e);
            }
            return Images.decode(bytes, "the image of labelme file " + file);
        }
        Path path = file.resolveSibling(text(doc, "imagePath", ""));
        if (!Files.isRegularFile(path)) {
            throw new DatasetException(
                    "Labelme file " + file + " names image " + path + ", which is missing");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new DatasetException(
                    "Could not read image "
                            + path
                            + " of labelme file "
                            + file
                            + ": "
                            + e.getMessage(),
                    e);
        }
        return Images.decode(bytes, "image " + path + " of labelme file " + file);
    }

    /** The file's shapes; none when it has no {@code shapes} array. */
    private static List<JsonObject> shapes(JsonObject doc) {
        List<JsonObject> shapes = new ArrayList<>();
        if (doc.get("shapes") instanceof JsonArray array) {
            array.forEach(
                    e -> shapes.add(e.isJsonObject() ? e.getAsJsonObject() : new JsonObject()));
        }
        return shapes;
    }

    /** A string member, or {@code absent} when it is missing or null. */
    private static String text(JsonObject o, String name, String absent) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : absent;
    }
}
