package io.canvasflow.trainer.label;

import java.util.Arrays;
import java.util.Locale;

/**
 * How an ONNX teacher fits a frame to the size its model is fed ({@code --teacher-resize}), where
 * that size is the model's fixed one or {@code --teacher-size}; fed the frame's own size, both are
 * the same.
 */
public enum OnnxResize {
    /** Scaled to the size, its aspect ratio changed where it differs (SegFormer's processor). */
    STRETCH,
    /**
     * Scaled to fit within the size, its aspect ratio kept, centred, the rest the mean colour (fed
     * as 0); only the scores that cover the frame are read ({@link Letterbox}).
     */
    FIT;

    /** The option's value, as {@code --teacher-resize} takes it. */
    String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads {@code --teacher-resize}.
     *
     * @throws IllegalArgumentException one sentence naming the option and its values
     */
    static OnnxResize parse(String value) {
        return Arrays.stream(values())
                .filter(r -> r.option().equals(value))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "--teacher-resize must be stretch or fit, got " + value));
    }
}
