package io.canvasflow.model;

import java.awt.image.BufferedImage;

/**
 * What to segment and how: an image, an optional seed canvas, a number of iterations, and the size
 * of the class map to return. Build with {@link #builder()}.
 */
public record SegmentRequest(
        BufferedImage image,
        Canvas seed,
        int iterations,
        int outputWidth,
        int outputHeight,
        int inputWidth,
        int inputHeight,
        boolean keepIterations) {

    /**
     * The most iterations a request may ask for. Nothing else bounds them (serve's {@code
     * canvas.full.iterations} and {@code canvas.seeded.iterations} take any positive int), so this
     * is the one limit: far above any count a model is trained for (6 in the paper; unrolling costs
     * training memory in proportion) or gains from (the README's curve flattens by 8), yet low
     * enough that a mistyped count costs a frame seconds, not hours (an iteration is about 2 ms at
     * 256x192 on a 2-core CPU: README, {@code bench model}), and that {@link #keepIterations} keeps
     * a bounded number of maps.
     */
    public static final int MAX_ITERATIONS = 1000;

    /**
     * The most pixels a class map may have: as many as the largest input, {@link
     * SegmentationModel#MAX_INPUT_SIDE} squared, in any shape. Its width times height then fits an
     * int (the mask is one {@code byte[]}), and a wide frame's mask is not refused for its width
     * alone. {@link Segmenter#segment} also refuses a map whose logits, at its model's class count,
     * are more than PyTorch can hand over in one buffer.
     */
    public static final long MAX_OUTPUT_PIXELS =
            (long) SegmentationModel.MAX_INPUT_SIDE * SegmentationModel.MAX_INPUT_SIDE;

    /**
     * Checks the request; an output size of 0x0 becomes the image's size.
     *
     * @param image the image, any size; it is resized to the model input size
     * @param seed the seed canvas, or {@code null} for a zero canvas
     * @param iterations iterations to run, or 0 for the default ({@link
     *     Builder#optIterations(int)}), at most {@link #MAX_ITERATIONS}
     * @param outputWidth width of the returned class map, or 0 (with a 0 height) for the image's
     * @param outputHeight height of the returned class map, or 0 (with a 0 width) for the image's
     * @param inputWidth input width override, 1 to {@link SegmentationModel#MAX_INPUT_SIDE}, or 0
     *     (with a 0 height) for the model's input size
     * @param inputHeight input height override, like {@code inputWidth}
     * @param keepIterations whether to return the class map after every iteration
     * @throws IllegalArgumentException in one sentence naming the builder method: a missing image,
     *     a negative or too large iteration count, a size given for one side only, an input side
     *     over {@link SegmentationModel#MAX_INPUT_SIDE}, or a class map of more than {@link
     *     #MAX_OUTPUT_PIXELS}
     */
    public SegmentRequest {
        if (image == null) {
            throw new IllegalArgumentException("a SegmentRequest needs an image: call setImage");
        }
        if (iterations < 0 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException(
                    "optIterations takes 1 to "
                            + MAX_ITERATIONS
                            + " iterations, or 0 for the default, but got "
                            + iterations);
        }
        if (outputWidth < 0 || outputHeight < 0 || (outputWidth == 0) != (outputHeight == 0)) {
            throw new IllegalArgumentException(
                    "optOutputSize takes a positive width and height, or 0x0 for the image's"
                            + " size, but got "
                            + outputWidth
                            + "x"
                            + outputHeight);
        }
        if (inputWidth < 0
                || inputHeight < 0
                || (inputWidth == 0) != (inputHeight == 0)
                || inputWidth > SegmentationModel.MAX_INPUT_SIDE
                || inputHeight > SegmentationModel.MAX_INPUT_SIDE) {
            throw new IllegalArgumentException(
                    "optInputSize takes a width and height from 1 to "
                            + SegmentationModel.MAX_INPUT_SIDE
                            + ", or 0x0 for the model's input size, but got "
                            + inputWidth
                            + "x"
                            + inputHeight);
        }
        boolean imageSize = outputWidth == 0;
        outputWidth = imageSize ? image.getWidth() : outputWidth;
        outputHeight = imageSize ? image.getHeight() : outputHeight;
        if ((long) outputWidth * outputHeight > MAX_OUTPUT_PIXELS) {
            throw new IllegalArgumentException(
                    "a "
                            + outputWidth
                            + "x"
                            + outputHeight
                            + " class map"
                            + (imageSize ? " (the image's size)" : "")
                            + " has more than the "
                            + MAX_OUTPUT_PIXELS
                            + " pixels a request may ask for; give a smaller optOutputSize");
        }
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link SegmentRequest}. */
    public static final class Builder {
        private BufferedImage image;
        private Canvas seed;
        private int iterations;
        private int outputWidth;
        private int outputHeight;
        private int inputWidth;
        private int inputHeight;
        private boolean keepIterations;

        private Builder() {}

        /** The image to segment (required). */
        public Builder setImage(BufferedImage image) {
            this.image = image;
            return this;
        }

        /** A canvas to start from instead of zeros. */
        public Builder optSeed(Canvas seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Iterations to run, 1 to {@link #MAX_ITERATIONS}. The default (0) is what serve runs at
         * its default settings: from a zero canvas, the model's own count ({@link
         * ModelSpec#defaultFullIterations()}: {@code iterationsTrained} in its {@code model.json},
         * 6 where it records none, 1 for a feed-forward model); from a seed, {@link
         * RecurrentSegmentationNet#DEFAULT_SEEDED_ITERATIONS} (2), serve's default {@code
         * canvas.seeded.iterations}.
         */
        public Builder optIterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        /**
         * The class map size, both sides positive, at most {@link #MAX_OUTPUT_PIXELS} pixels
         * (default, or 0x0: the image size).
         */
        public Builder optOutputSize(int width, int height) {
            this.outputWidth = width;
            this.outputHeight = height;
            return this;
        }

        /**
         * Runs the network at this input size instead of the model's (benchmarks): both sides 1 to
         * {@link SegmentationModel#MAX_INPUT_SIDE} (default, or 0x0: the model's input size).
         */
        public Builder optInputSize(int width, int height) {
            this.inputWidth = width;
            this.inputHeight = height;
            return this;
        }

        /** Also returns the class map after every iteration (sample strips). */
        public Builder optKeepIterations(boolean keep) {
            this.keepIterations = keep;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException in one sentence naming the builder method, on a value
         *     the record's constructor refuses
         */
        public SegmentRequest build() {
            return new SegmentRequest(
                    image,
                    seed,
                    iterations,
                    outputWidth,
                    outputHeight,
                    inputWidth,
                    inputHeight,
                    keepIterations);
        }
    }
}
