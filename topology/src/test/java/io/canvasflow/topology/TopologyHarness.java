package io.canvasflow.topology;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ResetReason;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/** The CanvasFlow topology in a {@link TopologyTestDriver}, with the test model. */
final class TopologyHarness implements AutoCloseable {

    /** What a test checks of a mask event; the rest (class map, timings) depends on the model. */
    record Seen(
            String camera,
            long sequence,
            int iterations,
            boolean seeded,
            ResetReason resetReason,
            boolean skipped,
            boolean budgetReduced) {

        static Seen of(MaskEvent e) {
            return new Seen(
                    e.getCameraId(),
                    e.getSequence(),
                    e.getIterations(),
                    e.getSeeded(),
                    e.getResetReason(),
                    e.getSkipped(),
                    e.getBudgetReduced());
        }

        static Seen reset(String camera, long sequence, int iterations, ResetReason reason) {
            return new Seen(camera, sequence, iterations, false, reason, false, false);
        }

        static Seen seeded(String camera, long sequence, int iterations) {
            return new Seen(camera, sequence, iterations, true, null, false, false);
        }
    }

    /** How long after capture a frame arrives, unless a test says otherwise. */
    static final long ARRIVAL_DELAY_MS = 5;

    final CanvasFlowConfig config;
    final CanvasFlowMetrics metrics;
    final TopologyTestDriver driver;
    final TestInputTopic<String, Frame> frames;
    final TestInputTopic<String, byte[]> rawFrames;
    final TestOutputTopic<String, MaskEvent> masks;
    final TestOutputTopic<String, DeadLetter> deadLetters;
    final KeyValueStore<String, CanvasState> canvases;
    private Instant wallClock = TestFrames.T0;

    /**
     * Opens a driver: defaults, scene cuts off (tests about them turn them on), and the given
     * settings.
     */
    TopologyHarness(Path stateDir, Map<String, String> settings) {
        this(stateDir, settings, new SimpleMeterRegistry());
    }

    /** Opens a driver whose metrics go to a registry of the test's. */
    TopologyHarness(Path stateDir, Map<String, String> settings, MeterRegistry registry) {
        metrics = new CanvasFlowMetrics(registry);
        Map<String, String> all = new LinkedHashMap<>();
        all.put(CanvasFlowConfig.BOOTSTRAP_SERVERS, "unused:9092");
        all.put(CanvasFlowConfig.APPLICATION_ID, "canvasflow-test");
        all.put(CanvasFlowConfig.STATE_DIR, stateDir.toString());
        all.put(CanvasFlowConfig.CANVAS_SCENE_CUT_FRACTION, "1");
        all.putAll(settings);
        config = CanvasFlowConfig.fromMap(all);
        driver =
                new TopologyTestDriver(
                        CanvasFlowTopology.buildTopology(
                                config,
                                ModelRouter.fixed(TestModel.source()),
                                metrics,
                                () -> wallClock.toEpochMilli()),
                        CanvasFlowTopology.streamsConfig(config, metrics),
                        wallClock);
        frames = framesTopic(AvroSerdes.frame().serializer());
        rawFrames = framesTopic(new ByteArraySerializer());
        masks = outputTopic(config.masksTopic(), AvroSerdes.maskEvent().deserializer());
        deadLetters = outputTopic(config.dlqTopic(), AvroSerdes.deadLetter().deserializer());
        canvases = driver.getKeyValueStore(StoreNames.CANVAS_STORE);
    }

    /** The frames topic, keyed by camera id, for values of any serializer. */
    private <V> TestInputTopic<String, V> framesTopic(Serializer<V> values) {
        return driver.createInputTopic(config.framesTopic(), Serdes.String().serializer(), values);
    }

    /** An output topic keyed by camera id. */
    private <V> TestOutputTopic<String, V> outputTopic(String topic, Deserializer<V> values) {
        return driver.createOutputTopic(topic, Serdes.String().deserializer(), values);
    }

    /** Sends a frame that arrives {@value #ARRIVAL_DELAY_MS} ms after its capture. */
    void send(Frame frame) {
        send(frame, ARRIVAL_DELAY_MS);
    }

    /** Sends a frame that arrives {@code lateMs} after its capture (never moving time back). */
    void send(Frame frame, long lateMs) {
        advanceTo(frame.getCaptureTimestamp().plusMillis(lateMs));
        frames.pipeInput(frame.getCameraId(), frame, frame.getCaptureTimestamp());
    }

    /**
     * Moves the wall clock to a time, a minute at the most per step, as a running stream thread
     * sees it: the driver fires each due punctuation once per step, and a longer step would look
     * like a stalled thread ({@link IdleCanvases}).
     */
    void advanceTo(Instant time) {
        while (time.isAfter(wallClock)) {
            Instant next = min(time, wallClock.plus(IdleCanvases.SWEEP_INTERVAL));
            // The topology's clock reads this field: move it first, so that punctuations the
            // advance fires see the new time.
            Duration step = Duration.between(wallClock, next);
            wallClock = next;
            driver.advanceWallClockTime(step);
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    Instant wallClock() {
        return wallClock;
    }

    List<Seen> seen() {
        return masks.readValuesToList().stream().map(Seen::of).toList();
    }

    @Override
    public void close() {
        driver.close();
    }

    /**
     * The next dead letter, as its reason, source offset and whether its message starts with the
     * words given: a frame latest-only mode refused to keep pending says so.
     */
    List<Object> nextDeadLetter(String messageStart) {
        DeadLetter letter = deadLetters.readValue();
        return List.of(
                letter.getReason(),
                letter.getSourceOffset(),
                letter.getMessage().startsWith(messageStart));
    }
}
