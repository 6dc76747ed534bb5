package io.canvasflow.trainer.label;

import io.canvasflow.model.ImageTensors;
import java.awt.image.BufferedImage;

/**
 * Where a frame lies in the image an ONNX teacher's model is fed: the rectangle {@code (x, y,
 * width, height)} of the fed {@code fedWidth x fedHeight} input that the scaled frame covers. A
 * stretched frame covers all of it; a fitted one keeps its aspect ratio and is centred, the rest
 * padding. Labels are read back through the same rectangle, from a score map of any resolution
 * (SegFormer's is a quarter of its input's).
 */
record Letterbox(int x, int y, int width, int height, int fedWidth, int fedHeight) {

    /**
     * Where a {@code frameWidth x frameHeight} frame goes in a {@code fedWidth x fedHeight} input.
     */
    static Letterbox of(
            OnnxResize resize, int frameWidth, int frameHeight, int fedWidth, int fedHeight) {
        if (resize == OnnxResize.STRETCH) {
            return new Letterbox(0, 0, fedWidth, fedHeight, fedWidth, fedHeight);
        }
        int w = fedWidth;
        int h = fedHeight;
        // the side that limits the scale fills the input; compared in integers, exactly
        if ((long) fedWidth * frameHeight <= (long) fedHeight * frameWidth) {
            h = clamp(Math.round((double) frameHeight * fedWidth / frameWidth), fedHeight);
        } else {
            w = clamp(Math.round((double) frameWidth * fedHeight / frameHeight), fedWidth);
        }
        return new Letterbox((fedWidth - w) / 2, (fedHeight - h) / 2, w, h, fedWidth, fedHeight);
    }

    private static int clamp(long side, int max) {
        return (int) Math.max(1, Math.min(max, side));
    }

    /**
     * The model's input: the frame scaled into the rectangle and normalised, {@code 3 x fedHeight x
     * fedWidth} floats. The padding is written as 0, the mean colour normalised, exactly: drawn as
     * a 0..255 colour first, ImageNet's mean would be rounded off it.
     */
    float[] input(BufferedImage frame, Normalisation normalisation) {
        float[] content =
                ImageTensors.toChw(
                        ImageTensors.resize(frame, width, height),
                        normalisation.mean(),
                        normalisation.std());
        if (width == fedWidth && height == fedHeight) {
            return content;
        }
        float[] fed = new float[3 * fedWidth * fedHeight];
        for (int c = 0; c < 3; c++) {
            for (int row = 0; row < height; row++) {
                System.arraycopy(
                        content,
                        (c * height + row) * width,
                        fed,
                        (c * fedHeight + y + row) * fedWidth + x,
                        width);
            }
        }
        return fed;
    }

    /**
     * The frame's labels from a {@code mapWidth x mapHeight} map of labels over the whole input:
     * each frame pixel takes the cell under its centre (nearest), as the rectangle places it. The
     * cells that cover only padding are never read.
     */
    byte[] labels(byte[] cells, int mapWidth, int mapHeight, int frameWidth, int frameHeight) {
        int[] columns = cells(x, width, fedWidth, mapWidth, frameWidth);
        int[] rows = cells(y, height, fedHeight, mapHeight, frameHeight);
        byte[] out = new byte[frameWidth * frameHeight];
        for (int r = 0; r < frameHeight; r++) {
            for (int c = 0; c < frameWidth; c++) {
                out[r * frameWidth + c] = cells[rows[r] * mapWidth + columns[c]];
            }
        }
        return out;
    }

    /**
     * Along one axis, the map cell under each frame pixel's centre: pixel {@code i}'s centre lies
     * at {@code offset + (i + 1/2) * side / frame} in the input, and the map has {@code map} cells
     * over its {@code fed}. In integers, so that a stretch reads the cells {@code
     * ImageCodecs.nearest} reads.
     */
    private static int[] cells(int offset, int side, int fed, int map, int frame) {
        int[] out = new int[frame];
        for (int i = 0; i < frame; i++) {
            long position = 2L * offset * frame + (2L * i + 1) * side; // in 1/(2 frame) pixels
            out[i] = (int) Math.min(map - 1, position * map / (2L * frame * fed));
        }
        return out;
    }
}
