package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A publish job's cameras, against a publisher that never reaches a broker. */
class PublishJobTest {

    /** A publisher whose producer has nowhere to send: for cameras that send nothing. */
    static FramePublisher unconnected() {
        return FramePublisher.builder()
                .setBootstrapServers("127.0.0.1:1")
                .optCheckTopic(false)
                .build();
    }

    @Test
    void shouldFailACameraWhoseSourceRunsOutOfMemoryAndGoOnWithTheOthers() throws Exception {
        // Given a camera whose source runs out of memory, beside one that ends at once
        FrameSource exhausted =
                new EmptySource("big") {
                    @Override
                    public Optional<SourceFrame> next() {
                        throw new OutOfMemoryError("Java heap space");
                    }
                };

        // When
        PublishResult result;
        try (FramePublisher publisher = unconnected()) {
            result =
                    PublishJob.builder()
                            .setPublisher(publisher)
                            .addCamera("big", exhausted)
                            .addCamera("small", new EmptySource("small"))
                            .optRate(FrameRate.max())
                            .build()
                            .run();
        }

        // Then the camera failed with the reason in one sentence, and the job did not succeed
        assertEquals(
                "ran out of memory (Java heap space) after 0 frames of big; give the JVM more heap"
                        + " (CANVASFLOW_HEAP), or fewer or smaller frames",
                result.cameras().get("big").error());
        assertEquals(null, result.cameras().get("small").error());
        assertFalse(result.succeeded());
    }

    /** A source without frames. */
    static class EmptySource implements FrameSource {
        private final String name;

        EmptySource(String name) {
            this.name = name;
        }

        @Override
        public Optional<SourceFrame> next() {
            return Optional.empty();
        }

        @Override
        public double nativeFps() {
            return 10;
        }

        @Override
        public String description() {
            return name;
        }

        @Override
        public void close() {}
    }
}
