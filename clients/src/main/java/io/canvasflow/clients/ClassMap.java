package io.canvasflow.clients;

import java.util.Arrays;
import java.util.Objects;

/**
 * A decoded per-pixel class map: one class index per pixel, row-major, and the palette the PNG
 * carried (empty for a grayscale PNG).
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param indices {@code width * height} unsigned class indices, row-major
 * @param palette {@code 0xRRGGBB} colour of each index the PNG's palette defines (an encoder may
 *     pad it with black up to a power of two); empty when the PNG was grayscale
 */
public record ClassMap(int width, int height, byte[] indices, int[] palette) {

    /** Checks that the indices cover the size exactly. */
    public ClassMap {
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(palette, "palette");
        requireSize(indices, width, height);
    }

    /** Checks that {@code indices} cover {@code width x height} exactly. */
    static void requireSize(byte[] indices, int width, int height) {
        if (width <= 0 || height <= 0 || (long) width * height != indices.length) {
            throw new IllegalArgumentException(
                    "expected "
                            + width
                            + "x"
                            + height
                            + " class indices but found "
                            + indices.length);
        }
    }

    /** Whether the palette defines a colour for {@code index}. */
    public boolean hasColor(int index) {
        return index >= 0 && index < palette.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassMap other
                && width == other.width
                && height == other.height
                && Arrays.equals(indices, other.indices)
                && Arrays.equals(palette, other.palette);
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, Arrays.hashCode(indices), Arrays.hashCode(palette));
    }

    @Override
    public String toString() {
        return "ClassMap[" + width + "x" + height + ", " + palette.length + " palette entries]";
    }
}
