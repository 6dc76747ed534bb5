package io.canvasflow.trainer.data;

import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.synthetic.LabeledFrame;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

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
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DatasetException("Could not decode image " + file + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new DatasetException(
                    "Could not decode image " + file + ": no reader for its format");
        }
        return img;
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
