package io.canvasflow.topology;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How frames are scheduled onto the model. */
public enum ProcessingMode {
    /** Every frame is segmented, in order. */
    EVERY_FRAME,
    /** A frame superseded by a newer frame of its camera before it is segmented is skipped. */
    LATEST_ONLY;

    /** The property value, {@code every-frame} or {@code latest-only}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The mode a property value names, in any case.
     *
     * @param value {@code every-frame} or {@code latest-only}
     * @return the mode, empty for any other value
     */
    public static Optional<ProcessingMode> parse(String value) {
        return Arrays.stream(values()).filter(m -> m.value().equalsIgnoreCase(value)).findFirst();
    }
}
