package io.canvasflow.trainer.data;

import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.LabeledFrame;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * One split of Cityscapes' fine annotations:
 *
 * <pre>
 * root/leftImg8bit/SPLIT/CITY/NAME_leftImg8bit.png
 * root/gtFine/SPLIT/CITY/NAME_gtFine_labelIds.png
 * </pre>
 *
 * <p>Label ids are mapped to the 19 train ids of {@link ClassTable#CITYSCAPES_19} with the table of
 * cityscapesScripts' {@code labels.py}; every other id becomes 255.
 */
public final class CityscapesDataset {

    private static final String IMAGE_SUFFIX = "_leftImg8bit.png";
    private static final String LABEL_SUFFIX = "_gtFine_labelIds.png";

    /** Train id by label id (labels.py): road=7, sidewalk=8, building=11, ..., bicycle=33. */
    private static final int[] TRAIN_ID = new int[256];

    static {
        Arrays.fill(TRAIN_ID, ClassTable.IGNORE_LABEL);
        int[] labelIds = {7, 8, 11, 12, 13, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 31, 32, 33};
        for (int trainId = 0; trainId < labelIds.length; trainId++) {
            TRAIN_ID[labelIds[trainId]] = trainId;
        }
    }

    private final Path imageDir;
    private final Path labelDir;
    private final List<String> ids;

    private CityscapesDataset(Path imageDir, Path labelDir, List<String> ids) {
        this.imageDir = imageDir;
        this.labelDir = labelDir;
        this.ids = ids;
    }

    /**
     * Opens split {@code split} ({@code train}, {@code val}, {@code test}) under {@code root}.
     *
     * @throws DatasetException naming the path, if a directory is missing
     */
    public static CityscapesDataset open(Path root, String split) {
        Path imageDir = root.resolve("leftImg8bit").resolve(split);
        Path labelDir = root.resolve("gtFine").resolve(split);
        for (Path dir : new Path[] {imageDir, labelDir}) {
            if (!Files.isDirectory(dir)) {
                throw new DatasetException(
                        "Expected Cityscapes directory "
                                + dir
                                + ", but there is no such directory");
            }
        }
        List<String> ids = new ArrayList<>();
        try (Stream<Path> cities = Files.list(imageDir)) {
            for (Path city : cities.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(city)) {
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(IMAGE_SUFFIX))
                            .sorted()
                            .forEach(
                                    n ->
                                            ids.add(
                                                    city.getFileName()
                                                            + "/"
                                                            + n.substring(
                                                                    0,
                                                                    n.length()
                                                                            - IMAGE_SUFFIX
                                                                                    .length())));
                }
            }
        } catch (IOException e) {
            throw new DatasetException("Could not list " + imageDir + ": " + e.getMessage(), e);
        }
        return new CityscapesDataset(imageDir, labelDir, List.copyOf(ids));
    }

    /** The train id (0..18) of a Cityscapes label id, or 255. */
    public static int trainId(int labelId) {
        return labelId < 0 || labelId > 255 ? ClassTable.IGNORE_LABEL : TRAIN_ID[labelId];
    }

    /** The classes, in train-id order. */
    public ClassTable classes() {
        return ClassTable.CITYSCAPES_19;
    }

    /** {@code CITY/NAME} of every image, sorted. */
    public List<String> ids() {
        return ids;
    }

    /** Loads one image with its labels mapped to train ids. */
    public LabeledFrame load(String id) {
        Path imageFile = imageDir.resolve(id + IMAGE_SUFFIX);
        Path labelFile = labelDir.resolve(id + LABEL_SUFFIX);
        BufferedImage image = Images.readImage(imageFile);
        int[] values = Images.readLabelValues(labelFile, imageFile, image);
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) trainId(values[i]);
        }
        return LabeledFrame.wrap(image, out);
    }
}
