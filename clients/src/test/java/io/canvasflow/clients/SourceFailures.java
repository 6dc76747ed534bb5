package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.function.Consumer;

/** Reading a frame source that is expected to fail before its end. */
final class SourceFailures {

    private SourceFailures() {}

    /**
     * Reads {@code source}, giving each frame to {@code each}, and asserts that it fails instead of
     * ending.
     *
     * @param source the source, which the caller closes
     * @param each what to note of each frame that came before the failure
     * @return the failure
     */
    static FrameSourceException readUntilItFails(FrameSource source, Consumer<SourceFrame> each) {
        return assertThrows(
                FrameSourceException.class,
                () -> {
                    for (Optional<SourceFrame> f = source.next();
                            f.isPresent();
                            f = source.next()) {
                        each.accept(f.get());
                    }
                });
    }
}
