package io.canvasflow.synthetic;

/** A pre-rendered object with the pixel where it touches the ground. */
final class Sprite extends Surface {

    /** Ground-contact point in sprite pixels. */
    final int anchorX;

    final int anchorY;

    /** Colour multiplier (0..256) applied under {@link #SHADOW} pixels. */
    final int shadowGain;

    Sprite(int width, int height, int anchorX, int anchorY, int shadowGain) {
        super(Math.max(1, width), Math.max(1, height));
        this.anchorX = anchorX;
        this.anchorY = anchorY;
        this.shadowGain = shadowGain;
    }
}
