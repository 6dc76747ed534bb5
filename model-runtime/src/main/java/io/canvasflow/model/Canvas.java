package io.canvasflow.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A canvas: per-class logits at feature resolution, {@code classes x height x width}, row-major,
 * tagged with the model version that produced it. Immutable; plain Java memory, so it can be kept
 * between frames without holding native memory.
 *
 * @param classes number of classes (channels)
 * @param height height in feature pixels
 * @param width width in feature pixels
 * @param logits the logits, {@code classes x height x width}; {@link #logits()} returns a copy
 * @param modelVersion the version of the model that produced this canvas
 */
public record Canvas(int classes, int height, int width, float[] logits, String modelVersion) {

    /**
     * Wraps logits (copied).
     *
     * @throws IllegalArgumentException if a dimension is not positive, the logits or the model
     *     version are null, or the array length is not {@code classes*height*width}
     */
    public Canvas {
        if (logits == null) {
            throw new IllegalArgumentException("a canvas needs its logits, got null");
        }
        if (modelVersion == null) {
            // A seed is checked against its model by version: a canvas without one matches none.
            throw new IllegalArgumentException(
                    "a canvas needs the version of the model that made it, got null");
        }
        if (classes < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "canvas dimensions must be positive, got "
                            + classes
                            + "x"
                            + height
                            + "x"
                            + width);
        }
        if (logits.length != (long) classes * height * width) {
            throw new IllegalArgumentException(
                    "a "
                            + classes
                            + "x"
                            + height
                            + "x"
                            + width
                            + " canvas needs "
                            + ((long) classes * height * width)
                            + " logits, got "
                            + logits.length);
        }
        logits = logits.clone();
    }

    /** A zero canvas. */
    public static Canvas zeros(int classes, int height, int width, String modelVersion) {
        return new Canvas(
                classes, height, width, new float[classes * height * width], modelVersion);
    }

    /**
     * Decodes the compact form written by {@link #toBytes()}.
     *
     * @throws IllegalArgumentException if the byte count does not match the shape
     */
    public static Canvas fromBytes(
            byte[] bytes, int classes, int height, int width, String modelVersion) {
        long expected = 2L * classes * height * width;
        if (bytes == null || bytes.length != expected) {
            throw new IllegalArgumentException(
                    "a float16 "
                            + classes
                            + "x"
                            + height
                            + "x"
                            + width
                            + " canvas is "
                            + expected
                            + " bytes, got "
                            + (bytes == null ? "none" : bytes.length));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] logits = new float[classes * height * width];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = Float16.toFloat(buf.getShort());
        }
        return new Canvas(classes, height, width, logits, modelVersion);
    }

    /**
     * Encodes the logits as little-endian float16, 2 bytes per logit: compact enough for a state
     * store and its changelog, and within half-precision rounding of the original.
     */
    public byte[] toBytes() {
        ByteBuffer buf = ByteBuffer.allocate(2 * logits.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : logits) {
            buf.putShort(Float16.fromFloat(v));
        }
        return buf.array();
    }

    /** The class with the highest logit at each pixel, row-major {@code height x width}. */
    public byte[] argmax() {
        int plane = height * width;
        byte[] out = new byte[plane];
        for (int p = 0; p < plane; p++) {
            int best = 0;
            float bestValue = logits[p];
            for (int c = 1; c < classes; c++) {
                float v = logits[c * plane + p];
                if (v > bestValue) {
                    bestValue = v;
                    best = c;
                }
            }
            out[p] = (byte) best;
        }
        return out;
    }

    /** A copy of the logits, {@code classes x height x width}. */
    @Override
    public float[] logits() {
        return logits.clone();
    }

    float[] logitsUnsafe() {
        return logits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Canvas other
                && classes == other.classes
                && height == other.height
                && width == other.width
                && Arrays.equals(logits, other.logits)
                && java.util.Objects.equals(modelVersion, other.modelVersion);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(logits) * 31 + classes * 7 + height * 3 + width;
    }

    @Override
    public String toString() {
        return "Canvas[" + classes + "x" + height + "x" + width + ", model " + modelVersion + "]";
    }
}
