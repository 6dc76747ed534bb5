package io.canvasflow.model;

/** The two network types CanvasFlow ships, built on the same backbone. */
public enum ModelType {
    /** Backbone, then three stacked 1x1 ConvLSTMs that add to a canvas each iteration. */
    RECURRENT,
    /** Backbone, then a plain convolutional classifier head run once (FCN-style baseline). */
    FEED_FORWARD;

    /**
     * Whether the network refines a canvas: only then can a canvas seed a frame, and only then does
     * a second iteration change anything (the feed-forward head ignores the canvas it is given, so
     * it runs one pass whatever it is asked).
     */
    public boolean readsCanvas() {
        return this == RECURRENT;
    }
}
