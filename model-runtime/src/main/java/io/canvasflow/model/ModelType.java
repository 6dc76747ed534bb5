package io.canvasflow.model;

/** The two network types CanvasFlow ships, built on the same backbone. */
public enum ModelType {
    /** Backbone, then three stacked 1x1 ConvLSTMs that add to a canvas each iteration. */
    RECURRENT,
    /** Backbone, then a plain convolutional classifier head run once (FCN-style baseline). */
    FEED_FORWARD
}
