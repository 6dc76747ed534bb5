package io.canvasflow.topology;

/**
 * The setting {@code mask.size}: how large the class map of each mask event is.
 *
 * @param width the fixed width, 0 for the model's input size, -1 for the frame's size
 * @param height the fixed height, with the same meaning
 */
record MaskSize(int width, int height) {

    /** The model's input size: the cheapest, and what the network resolves. */
    static final MaskSize MODEL = new MaskSize(0, 0);

    /** The frame's own size: an upsample and a PNG at full size per frame. */
    static final MaskSize FRAME = new MaskSize(-1, -1);

    /**
     * Parses {@code model}, {@code frame} or {@code WxH}.
     *
     * @param value the setting
     * @return the size, or null when the value is none of these
     */
    static MaskSize parse(String value) {
        switch (value) {
            case "model":
                return MODEL;
            case "frame":
                return FRAME;
            default:
                String[] parts = value.split("x");
                try {
                    int w = Integer.parseInt(parts[0]);
                    int h = Integer.parseInt(parts[1]);
                    if (parts.length == 2 && w > 0 && h > 0 && (long) w * h <= 16_777_216L) {
                        return new MaskSize(w, h);
                    }
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    // not WxH
                }
                return null;
        }
    }

    /**
     * The setting as a configuration has it (checked when the configuration was built).
     *
     * @param config the settings
     * @return the size
     */
    static MaskSize of(CanvasFlowConfig config) {
        return parse(config.settings().get(CanvasFlowConfig.MASK_SIZE).trim());
    }

    /**
     * The class map size for a frame and a model.
     *
     * @return width and height
     */
    int[] of(int frameWidth, int frameHeight, int modelWidth, int modelHeight) {
        if (this.equals(MODEL)) {
            return new int[] {modelWidth, modelHeight};
        }
        if (this.equals(FRAME)) {
            return new int[] {frameWidth, frameHeight};
        }
        return new int[] {width, height};
    }
}
