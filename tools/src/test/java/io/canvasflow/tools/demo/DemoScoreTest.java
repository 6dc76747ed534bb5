package io.canvasflow.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.clients.FrameSource;
import io.canvasflow.clients.SourceFrame;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DemoScoreTest {

    /** A live camera that skipped two unreadable frames and has nothing more to read. */
    private static final class LiveCameraThatSkipped implements FrameSource {
        @Override
        public Optional<SourceFrame> next() {
            return Optional.empty();
        }

        @Override
        public double nativeFps() {
            return 25;
        }

        @Override
        public boolean isLive() {
            return true;
        }

        @Override
        public String skippedUnreadable() {
            return "2 unreadable frames of rtsp://cam were skipped";
        }

        @Override
        public String description() {
            return "rtsp://cam";
        }

        @Override
        public void close() {}
    }

    @Test
    void shouldPassOnEverythingTheRecordedSourceSaysAboutItself() {
        // Given a live source that skipped unreadable frames
        FrameSource source = new LiveCameraThatSkipped();

        // When the demo records its ground truth through a wrapper
        try (FrameSource recorded = new DemoScore().recording("cam", source)) {

            // Then the wrapper says what the source says: publishing paces and reports it the
            // same way
            assertEquals(describe(source), describe(recorded));
        }
    }

    /** What a source says about itself (the skipped sentence may be null). */
    private record Said(
            boolean live, String skipped, double fps, String description, Optional<?> next) {}

    private static Said describe(FrameSource source) {
        return new Said(
                source.isLive(),
                source.skippedUnreadable(),
                source.nativeFps(),
                source.description(),
                source.next());
    }
}
