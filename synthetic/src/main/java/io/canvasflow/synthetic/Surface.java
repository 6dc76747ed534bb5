package io.canvasflow.synthetic;

/**
 * A colour buffer with a tag per pixel, painted once per scene. For the world background the tag is
 * the class label; for a sprite it is {@link #EMPTY}, {@link #SOLID} or {@link #SHADOW}.
 */
class Surface {

    static final byte EMPTY = 0;
    static final byte SOLID = 1;
    static final byte SHADOW = 2;

    final int width;
    final int height;
    final int[] rgb;
    final byte[] tag;

    /**
     * Painting is clipped to columns {@code [clipX0, clipX1)}, so a world can be painted strip by
     * strip, only where the camera looks, by replaying the same painting program per strip.
     */
    private int clipX0;

    private int clipX1;

    Surface(int width, int height) {
        this.width = width;
        this.height = height;
        this.rgb = new int[width * height];
        this.tag = new byte[width * height];
        this.clipX1 = width;
    }

    final void clip(int x0, int x1) {
        clipX0 = Math.max(0, x0);
        clipX1 = Math.min(width, x1);
    }

    /** The first column to paint for a shape starting at {@code x}. */
    final int xFrom(int x) {
        return Math.max(clipX0, x);
    }

    /** The column after the last to paint for a shape ending before {@code x}. */
    final int xTo(int x) {
        return Math.min(clipX1, x);
    }

    final void put(int x, int y, int color, byte t) {
        if (x >= clipX0 && y >= 0 && x < clipX1 && y < height) {
            int i = y * width + x;
            rgb[i] = color;
            tag[i] = t;
        }
    }
}
