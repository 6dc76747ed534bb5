package io.canvasflow.synthetic;

import java.util.Arrays;
import java.util.List;

/** The classes of a segmentation dataset: their names, in label order, and display colours. */
public final class ClassTable {

    /** The label value of pixels that carry no class and are left out of losses and metrics. */
    public static final int IGNORE_LABEL = 255;

    /** The synthetic street scenes of {@link SyntheticVideoGenerator}, in label order. */
    public static final ClassTable SYNTHETIC =
            new ClassTable(
                    List.of("sky", "road", "building", "vegetation", "vehicle", "person"),
                    new int[] {0x4682B4, 0x804080, 0x464646, 0x6B8E23, 0x00008E, 0xDC143C});

    /** Cityscapes' 19 training classes, indexed by train id, with the official colours. */
    public static final ClassTable CITYSCAPES_19 =
            new ClassTable(
                    List.of(
                            "road",
                            "sidewalk",
                            "building",
                            "wall",
                            "fence",
                            "pole",
                            "traffic light",
                            "traffic sign",
                            "vegetation",
                            "terrain",
                            "sky",
                            "person",
                            "rider",
                            "car",
                            "truck",
                            "bus",
                            "train",
                            "motorcycle",
                            "bicycle"),
                    new int[] {
                        0x804080, 0xF423E8, 0x464646, 0x66669C, 0xBE9999, 0x999999, 0xFAAA1E,
                        0xDCDC00, 0x6B8E23, 0x98FB98, 0x4682B4, 0xDC143C, 0xFF0000, 0x00008E,
                        0x000046, 0x003C64, 0x005064, 0x0000E6, 0x770B20
                    });

    /** PASCAL VOC 2012's 21 classes (background first) with the VOC palette. */
    public static final ClassTable VOC_21 =
            withVocPalette(
                    List.of(
                            "background",
                            "aeroplane",
                            "bicycle",
                            "bird",
                            "boat",
                            "bottle",
                            "bus",
                            "car",
                            "cat",
                            "chair",
                            "cow",
                            "diningtable",
                            "dog",
                            "horse",
                            "motorbike",
                            "person",
                            "pottedplant",
                            "sheep",
                            "sofa",
                            "train",
                            "tvmonitor"));

    private final List<String> names;
    private final int[] colors;

    /**
     * Creates a table.
     *
     * @param names class names, index = label value
     * @param colors display colours as {@code 0xRRGGBB}, one per name
     */
    public ClassTable(List<String> names, int[] colors) {
        if (names.isEmpty() || names.size() > IGNORE_LABEL) {
            throw new IllegalArgumentException(
                    "Expected 1.." + IGNORE_LABEL + " class names, got " + names.size());
        }
        if (colors.length != names.size()) {
            throw new IllegalArgumentException(
                    "Expected one colour per class (" + names.size() + "), got " + colors.length);
        }
        this.names = List.copyOf(names);
        this.colors = colors.clone();
    }

    /** Returns a table for the given names coloured with the PASCAL VOC palette. */
    public static ClassTable withVocPalette(List<String> names) {
        int[] colors = new int[names.size()];
        for (int i = 0; i < colors.length; i++) {
            colors[i] = vocColor(i);
        }
        return new ClassTable(names, colors);
    }

    /**
     * The colour PASCAL VOC's palette gives label {@code index} (bit-interleaved, as in VOCdevkit).
     */
    public static int vocColor(int index) {
        int r = 0;
        int g = 0;
        int b = 0;
        int c = index;
        for (int shift = 7; shift >= 0 && c > 0; shift--) {
            r |= (c & 1) << shift;
            g |= ((c >> 1) & 1) << shift;
            b |= ((c >> 2) & 1) << shift;
            c >>= 3;
        }
        return (r << 16) | (g << 8) | b;
    }

    /** The number of classes. */
    public int size() {
        return names.size();
    }

    /** The class names in label order. */
    public List<String> names() {
        return names;
    }

    /** The name of class {@code index}. */
    public String name(int index) {
        return names.get(index);
    }

    /** The display colour of class {@code index} as {@code 0xRRGGBB}. */
    public int color(int index) {
        return colors[index];
    }

    /** The index of the class called {@code name}, or -1. */
    public int indexOf(String name) {
        return names.indexOf(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassTable other
                && names.equals(other.names)
                && Arrays.equals(colors, other.colors);
    }

    @Override
    public int hashCode() {
        return 31 * names.hashCode() + Arrays.hashCode(colors);
    }

    @Override
    public String toString() {
        return "ClassTable" + names;
    }
}
