package io.canvasflow.trainer.data;

import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.LabeledFrame;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A segmentation dataset in the PASCAL VOC layout:
 *
 * <pre>
 * root/JPEGImages/ID.jpg
 * root/SegmentationClass/ID.png        palette PNG; the palette index is the class, 255 = ignore
 * root/ImageSets/Segmentation/SPLIT.txt  one ID per line (optional)
 * root/class_names.txt                 one name per line, index order (optional)
 * </pre>
 *
 * <p>labelme's {@code labelme2voc.py} writes the same layout with the label PNGs in {@code
 * SegmentationClassPNG} (and NumPy arrays in {@code SegmentationClass}); that is read too, with no
 * {@code ImageSets}, so it has no splits. Without {@code class_names.txt}, the classes are {@link
 * ClassTable#VOC_21}.
 */
public final class VocDataset {

    private final Path root;
    private final Path images;
    private final Path labels;
    private final ClassTable classes;
    private final List<String> ids;

    private VocDataset(Path root, Path images, Path labels, ClassTable classes, List<String> ids) {
        this.root = root;
        this.images = images;
        this.labels = labels;
        this.classes = classes;
        this.ids = ids;
    }

    /**
     * Opens a dataset, checking its layout and listing its labelled images.
     *
     * @throws DatasetException naming the path, if a directory is missing or unreadable
     */
    public static VocDataset open(Path root) {
        requireDirectory(root, "a PASCAL VOC dataset root");
        Path images = root.resolve("JPEGImages");
        requireDirectory(images, "the VOC image directory");
        Path labels = root.resolve("SegmentationClass");
        if (!hasPng(labels)) {
            Path labelme = root.resolve("SegmentationClassPNG");
            if (hasPng(labelme)) {
                labels = labelme;
            } else {
                throw new DatasetException(
                        "Expected label PNGs in "
                                + labels
                                + " (or "
                                + labelme
                                + " as labelme writes them), found none");
            }
        }
        ClassTable classes = ClassTable.VOC_21;
        Path names = root.resolve("class_names.txt");
        if (Files.exists(names)) {
            List<String> read = readLines(names);
            if (read.isEmpty()) {
                throw new DatasetException("Class name file " + names + " lists no classes");
            }
            classes = ClassTable.withVocPalette(read);
        }
        return new VocDataset(root, images, labels, classes, listIds(labels));
    }

    /** The classes, from {@code class_names.txt} if present. */
    public ClassTable classes() {
        return classes;
    }

    /** Every image that has a label map, sorted. */
    public List<String> ids() {
        return ids;
    }

    /**
     * The ids of a split ({@code train}, {@code val}, {@code trainval}, ...), from {@code
     * ImageSets/Segmentation/SPLIT.txt}.
     *
     * @throws DatasetException naming the file when there is none: a split asked for is never
     *     quietly every image (labelme's VOC export, for one, has no {@code ImageSets})
     */
    public List<String> ids(String split) {
        Path file = root.resolve("ImageSets").resolve("Segmentation").resolve(split + ".txt");
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(
                    "Expected split file "
                            + file
                            + " listing the ids of split '"
                            + split
                            + "' (without a split, every labelled image is read)");
        }
        List<String> listed = readLines(file);
        for (String id : listed) {
            if (!ids.contains(id)) {
                throw new DatasetException(
                        file + " lists " + id + ", which has no label map in " + labels);
            }
        }
        return listed;
    }

    /**
     * Loads one image and its labels.
     *
     * @throws DatasetException if a file is missing or unreadable, the sizes differ, or a label is
     *     neither a class index nor 255
     */
    public LabeledFrame load(String id) {
        Path imageFile = imageFile(id);
        Path labelFile = labels.resolve(id + ".png");
        BufferedImage image = Images.readImage(imageFile);
        int[] values = Images.readLabelValues(labelFile, imageFile, image);
        byte[] out = new byte[values.length];
        int numClasses = classes.size();
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            if (v >= numClasses && v != ClassTable.IGNORE_LABEL) {
                throw new DatasetException(
                        "Label map "
                                + labelFile
                                + " holds value "
                                + v
                                + "; expected 0.."
                                + (numClasses - 1)
                                + " or "
                                + ClassTable.IGNORE_LABEL);
            }
            out[i] = (byte) v;
        }
        return LabeledFrame.wrap(image, out);
    }

    private Path imageFile(String id) {
        for (String ext : new String[] {".jpg", ".jpeg", ".JPG", ".png"}) {
            Path p = images.resolve(id + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new DatasetException(
                "Expected image " + images.resolve(id + ".jpg") + ", but there is none");
    }

    private static void requireDirectory(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(
                    "Expected " + what + " at " + dir + ", but there is no such directory");
        }
        if (!Files.isReadable(dir)) {
            throw new DatasetException("Expected " + what + " at " + dir + " to be readable");
        }
    }

    private static boolean hasPng(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".png"));
        } catch (IOException e) {
            throw new DatasetException("Could not list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<String> listIds(Path labels) {
        try (Stream<Path> s = Files.list(labels)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".png"))
                    .map(n -> n.substring(0, n.length() - 4))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DatasetException("Could not list " + labels + ": " + e.getMessage(), e);
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(l -> l.replace("\uFEFF", "").strip())
                    .filter(l -> !l.isEmpty())
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new DatasetException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }
}
