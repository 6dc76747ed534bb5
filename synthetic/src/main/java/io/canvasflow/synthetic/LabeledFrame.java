package io.canvasflow.synthetic;

import java.awt.image.BufferedImage;

/**
 * One image and its per-pixel class labels.
 *
 * <p>The image is {@code TYPE_3BYTE_BGR} or {@code TYPE_INT_RGB}. Labels are row-major, {@code
 * width * height} unsigned bytes holding a class index or {@link #IGNORE_LABEL}. The label array is
 * copied in and out; the image is shared, and callers must not draw on it.
 */
public final class LabeledFrame {

    /** Label value of pixels left out of losses and metrics. */
    public static final int IGNORE_LABEL = ClassTable.IGNORE_LABEL;

    private final BufferedImage image;
    private final byte[] labels;
    private final int width;
    private final int height;

    /**
     * Creates a frame, copying the labels.
     *
     * @throws IllegalArgumentException if the image type is unsupported or the sizes disagree
     */
    public LabeledFrame(BufferedImage image, byte[] labels) {
        this(image, labels, true);
    }

    private LabeledFrame(BufferedImage image, byte[] labels, boolean copy) {
        int type = image.getType();
        if (type != BufferedImage.TYPE_3BYTE_BGR && type != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException(
                    "Expected a TYPE_3BYTE_BGR or TYPE_INT_RGB image, got type " + type);
        }
        this.width = image.getWidth();
        this.height = image.getHeight();
        if (labels.length != width * height) {
            throw new IllegalArgumentException(
                    "Expected "
                            + width * height
                            + " labels for a "
                            + width
                            + "x"
                            + height
                            + " image, got "
                            + labels.length);
        }
        this.image = image;
        this.labels = copy ? labels.clone() : labels;
    }

    /**
     * Wraps a label array the caller just built and hands over, without a copy; the caller must not
     * touch it again. Public for the real-dataset loaders in the trainer.
     */
    public static LabeledFrame wrap(BufferedImage image, byte[] labels) {
        return new LabeledFrame(image, labels, false);
    }

    /** The image; do not modify it. */
    public BufferedImage image() {
        return image;
    }

    /** A copy of the row-major labels. */
    public byte[] labels() {
        return labels.clone();
    }

    /** The label at {@code (x, y)} as 0..255. */
    public int label(int x, int y) {
        return labels[y * width + x] & 0xff;
    }

    /** The image width in pixels. */
    public int width() {
        return width;
    }

    /** The image height in pixels. */
    public int height() {
        return height;
    }

    /** The number of pixels of each label value 0..255. */
    public int[] labelHistogram() {
        int[] counts = new int[256];
        for (byte b : labels) {
            counts[b & 0xff]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return "LabeledFrame[" + width + "x" + height + "]";
    }
}
