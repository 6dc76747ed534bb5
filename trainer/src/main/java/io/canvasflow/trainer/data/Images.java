package io.canvasflow.trainer.data;

import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.synthetic.LabeledFrame;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading dataset images and label maps. */
final class Images {

    private Images() {}

    /** Reads a colour image as {@code TYPE_3BYTE_BGR} or {@code TYPE_INT_RGB}. */
    static BufferedImage readImage(Path file) {
        return toSupported(read(file));
    }

    /**
     * Reads the pixel values of a single-band label PNG (palette or greyscale): the palette index,
     * never the colour it maps to.
     *
     * @throws DatasetException also when the label map is not the size of its image
     */
    static int[] readLabelValues(Path file, Path imageFile, BufferedImage image) {
        BufferedImage img = read(file);
        Raster raster = img.getRaster();
        if (!(img.getColorModel() instanceof IndexColorModel) && raster.getNumBands() != 1) {
            throw new DatasetException(
                    "Label image "
                            + file
                            + " has "
                            + raster.getNumBands()
                            + " colour bands; expected a palette or greyscale PNG whose values are"
                            + " class indices");
        }
        requireSameSize(
                "Label map " + file,
                img.getWidth(),
                img.getHeight(),
                "its image " + imageFile,
                image);
        return raster.getSamples(0, 0, img.getWidth(), img.getHeight(), 0, (int[]) null);
    }

    /**
     * Checks that a label map is the size of its image.
     *
     * @throws DatasetException "LABELS is WxH but IMAGE is WxH" when it is not
     */
    static void requireSameSize(
            String labels, int width, int height, String image, BufferedImage img) {
        if (width != img.getWidth() || height != img.getHeight()) {
            throw new DatasetException(
                    String.format(
                            "%s is %dx%d but %s is %dx%d",
                            labels, width, height, image, img.getWidth(), img.getHeight()));
        }
    }

    private static BufferedImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException("Expected an image file at " + file + ", but there is none");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DatasetException("Could not read image " + file + ": " + e.getMessage(), e);
        }
        return decode(bytes, "image " + file);
    }

    /**
     * Decodes a dataset image as every other image is decoded ({@link ImageCodecs#decode}): its
     * header is checked first, so one that declares more than {@link ImageCodecs#MAX_DECODE_PIXELS}
     * pixels, or a JPEG with more scans than are worth decoding, is refused before a pixel is
     * allocated (a 382-byte PNG can claim 26000x26000).
     *
     * @param bytes the encoded image
     * @param what names it in the refusal, for example {@code image /data/a.png}
     * @throws DatasetException "Could not decode WHAT: why" when it does not decode or is refused
     */
    static BufferedImage decode(byte[] bytes, String what) {
        try {
            return ImageCodecs.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new DatasetException("Could not decode " + what + ": " + e.getMessage(), e);
        }
    }

    /** Returns the image if it is a type {@link LabeledFrame} takes, else a BGR copy. */
    static BufferedImage toSupported(BufferedImage img) {
        int type = img.getType();
        if (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        return ImageCodecs.copyBgr(img);
    }
}
