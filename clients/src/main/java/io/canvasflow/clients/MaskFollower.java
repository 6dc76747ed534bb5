package io.canvasflow.clients;

import io.canvasflow.schemas.Topic;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the masks topic: keeps per-camera statistics (frames, rate, latency percentiles,
 * iterations, seeded frames and resets by reason), shows them as a live table, and optionally joins
 * each mask with its frame by (camera, sequence, capture time) in a bounded buffer, reading the
 * frames topic too: for overlays ({@link Builder#optOverlays}) and for join listeners such as the
 * live viewer ({@link Builder#optJoinListener}).
 *
 * <pre>{@code
 * FollowResult result =
 *         MaskFollower.builder()
 *                 .setBootstrapServers("localhost:9092")
 *                 .optFromBeginning(true)
 *                 .optMaxFrames(100)
 *                 .build()
 *                 .run();
 * }</pre>
 *
 * <p>It reads with {@code isolation.level=read_committed}, so masks of an aborted transaction never
 * show. Without a group id it assigns itself every partition of the topics and commits nothing;
 * with one it subscribes, and the default range assignor keeps a masks partition and the same
 * frames partition on one member. Following live (not from the beginning), it starts the frames
 * topic a little in the past so that the first masks still find their frames. A record that does
 * not deserialize is logged with its topic, partition and offset, counted and skipped. It stops
 * after a duration, after a number of masks, or on {@link #stop()}.
 */
public final class MaskFollower {

    /** How far back the frames topic is read when following live. */
    public static final Duration FRAME_LOOKBACK = Duration.ofSeconds(30);

    /**
     * Frames, and masks waiting for a frame, the join keeps per camera by default: 30 s at 10
     * frames/s, the same as {@link #FRAME_LOOKBACK}, so that a topology running that far behind its
     * cameras still has masks drawn on their frames (a bound of 128 lost them at 13 s behind).
     */
    public static final int DEFAULT_JOIN_FRAMES = 300;

    private static final Logger LOG = LoggerFactory.getLogger(MaskFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration JOIN_GRACE = Duration.ofSeconds(3);

    private final String bootstrapServers;
    private final Topic<String, MaskEvent> masksTopic;
    private final Topic<String, Frame> framesTopic;
    private final String groupId;
    private final boolean fromBeginning;
    private final Duration duration;
    private final long maxFrames;
    private final OverlayWriter overlays;
    private final LiveTable table;
    private final Duration tableInterval;
    private final Consumer<MaskEvent> listener;
    private final List<Consumer<JoinedMask>> joinListeners;
    private final Map<String, Object> consumerProperties;
    private final Duration clusterWait;
    private final FrameJoinBuffer join;
    private final FollowedCameras cameras;
    private final MissingFrames missingFrames;
    private final RecordDecoder decoder = new RecordDecoder(LOG);

    private volatile boolean stopping;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private boolean ran;
    private long masks;
    private long frames;
    private long overlaysDrawn;

    private MaskFollower(Builder builder) {
        this.bootstrapServers = builder.bootstrapServers;
        this.masksTopic = builder.masksTopic;
        this.framesTopic = builder.framesTopic;
        this.groupId = builder.groupId;
        this.fromBeginning = builder.fromBeginning;
        this.duration = builder.duration;
        this.maxFrames = builder.maxFrames;
        this.overlays = builder.overlays;
        this.table =
                builder.table == null ? null : new LiveTable(builder.table, builder.tableInPlace);
        this.tableInterval = builder.tableInterval;
        this.listener = builder.listener;
        this.joinListeners = List.copyOf(builder.joinListeners);
        this.consumerProperties = Map.copyOf(builder.consumerProperties);
        this.clusterWait =
                FollowerStart.clusterWait(
                        consumerConfig(
                                bootstrapServers, groupId, fromBeginning, consumerProperties));
        this.join = new FrameJoinBuffer(builder.joinCapacity, builder.joinMemory);
        this.missingFrames = new MissingFrames(join.capacityPerCamera(), join.maxBytes());
        this.cameras = new FollowedCameras(builder.forgetAfter, System::nanoTime);
    }

    /**
     * Returns a builder; only the bootstrap servers are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The consumer configuration a follower uses: {@code read_committed}, no auto commit without a
     * group, byte values (each topic is deserialized with its own serde); then the overrides.
     *
     * @param bootstrapServers the Kafka bootstrap servers
     * @param groupId the consumer group, or null to assign all partitions
     * @param fromBeginning whether a new group starts at the earliest offsets
     * @param overrides consumer properties that replace the defaults
     * @return the configuration
     */
    public static Map<String, Object> consumerConfig(
            String bootstrapServers,
            String groupId,
            boolean fromBeginning,
            Map<String, ?> overrides) {
        return FollowerStart.consumerConfig(bootstrapServers, groupId, fromBeginning, overrides);
    }

    /**
     * Whether Kafka makes a consumer of a follower's configuration ({@link #consumerConfig}), asked
     * without a broker; {@link Builder#build} asks too.
     *
     * @param bootstrapServers the Kafka bootstrap servers
     * @param groupId the consumer group, or null to assign all partitions
     * @param fromBeginning whether a new group starts at the earliest offsets
     * @param overrides consumer properties that replace the defaults
     * @return what Kafka refuses, in one sentence, or null when it takes them
     */
    public static String consumerConfigProblem(
            String bootstrapServers,
            String groupId,
            boolean fromBeginning,
            Map<String, ?> overrides) {
        return FollowerStart.consumerConfigProblem(
                consumerConfig(bootstrapServers, groupId, fromBeginning, overrides));
    }

    /**
     * Follows until the duration has passed, the mask limit is reached or {@link #stop()} is
     * called, then releases masks still waiting for a frame and closes the consumer. Runs once. The
     * overlay writer is left open for the caller to close. A masks topic that does not exist yet is
     * waited for (logged once at INFO); a cluster that does not answer is a failure.
     *
     * @return the statistics and counts
     * @throws org.apache.kafka.common.errors.TimeoutException when no broker at the bootstrap
     *     servers answers before the duration ends (a second at least) or within the consumer's
     *     {@code default.api.timeout.ms} (60 s unless set), in one sentence naming the servers
     */
    public FollowResult run() {
        synchronized (this) {
            if (ran) {
                throw new IllegalStateException("a mask follower runs once; build another");
            }
            ran = true;
        }
        if (table == null) {
            return follow();
        }
        // While the table is redrawn in place, log lines print above it instead of tearing it.
        try (LiveTable.Routing logs = table.routeStandardError()) {
            return follow();
        }
    }

    private FollowResult follow() {
        long start = System.nanoTime();
        FollowerStart.Deadline deadline =
                new FollowerStart.Deadline(
                        start, duration == null ? Long.MAX_VALUE : duration.toNanos());
        long nextTable = start;
        FollowerStart.Deadline joinDeadline = null;
        try (KafkaConsumer<String, byte[]> kafka =
                new KafkaConsumer<>(
                        consumerConfig(
                                bootstrapServers, groupId, fromBeginning, consumerProperties),
                        new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer = kafka;
            KafkaSilence silence = new KafkaSilence(bootstrapServers, LOG::warn, LOG::info);
            if (stopping) {
                return result(start);
            }
            boolean positioned =
                    new FollowerStart(
                                    bootstrapServers,
                                    masksTopic.name(),
                                    joins() ? framesTopic.name() : null,
                                    groupId,
                                    fromBeginning,
                                    () -> stopping,
                                    clusterWait)
                            .position(kafka, deadline);
            if (Thread.currentThread().isInterrupted()) {
                stopping = true;
            }
            while (positioned && !stopping) {
                if (deadline.passed()) {
                    break;
                }
                if (limitReached()) {
                    // Give the last masks a moment to meet their frames, then stop.
                    if (joinDeadline == null) {
                        joinDeadline =
                                new FollowerStart.Deadline(System.nanoTime(), JOIN_GRACE.toNanos());
                    }
                    if (join.waitingMasks() == 0 || joinDeadline.passed()) {
                        break;
                    }
                }
                long wait =
                        Math.max(1_000_000, Math.min(POLL.toNanos(), deadline.remainingNanos()));
                for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofNanos(wait))) {
                    handle(record);
                }
                silence.observe(kafka, System.nanoTime() / 1_000_000);
                if (overlays != null) {
                    overlays.finishIdle(); // so a camera that stopped has a playable MP4 soon
                }
                join.forgetIdle().forEach(this::joined); // nothing comes when all are quiet
                if (table != null && System.nanoTime() - nextTable >= 0) {
                    printTable();
                    nextTable = System.nanoTime() + tableInterval.toNanos();
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
        } finally {
            consumer = null;
            for (JoinedMask joined : join.drain()) {
                joined(joined);
            }
        }
        if (table != null) {
            table.drawLast(StatsTable.format(snapshot().values()));
        }
        return result(start);
    }

    /** Makes {@link #run()} return soon; thread-safe. */
    public void stop() {
        stopping = true;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /**
     * Returns every camera's statistics now, for live displays; thread-safe.
     *
     * @return camera id to summary, in order of first appearance (without the cameras forgotten,
     *     see {@link Builder#optForgetIdleCameras})
     */
    public Map<String, CameraSummary> snapshot() {
        return cameras.snapshot();
    }

    private boolean limitReached() {
        return maxFrames > 0 && masks >= maxFrames;
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        if (record.topic().equals(masksTopic.name())) {
            if (limitReached()) {
                return;
            }
            MaskEvent mask = decoder.decode(masksTopic, record);
            if (mask != null) {
                onMask(mask);
            }
        } else if (joins()) {
            Frame frame = decoder.decode(framesTopic, record);
            if (frame != null) {
                frames++;
                join.onFrame(frame).forEach(this::joined);
            }
        }
    }

    private void onMask(MaskEvent mask) {
        masks++;
        cameras.record(mask);
        if (listener != null) {
            listener.accept(mask);
        }
        if (joins() && !mask.getSkipped()) {
            join.onMask(mask).forEach(this::joined);
        }
    }

    /** Whether masks are joined with their frames, for overlays or listeners. */
    private boolean joins() {
        return overlays != null || !joinListeners.isEmpty();
    }

    private void joined(JoinedMask joined) {
        missingFrames.note(joined);
        if (overlays != null && overlays.write(joined.mask(), joined.frame())) {
            overlaysDrawn++;
        }
        for (Consumer<JoinedMask> joinListener : joinListeners) {
            joinListener.accept(joined);
        }
    }

    private void printTable() {
        table.draw(StatsTable.format(snapshot().values()));
    }

    private FollowResult result(long start) {
        return new FollowResult(
                snapshot(),
                masks,
                frames,
                decoder.badRecords(),
                overlaysDrawn,
                missingFrames.counts(),
                overlays == null ? Map.of() : overlays.videos(),
                (System.nanoTime() - start) / 1e9);
    }

    /** Configures a {@link MaskFollower}: {@code setX} is required, {@code optX} is optional. */
    public static final class Builder {

        private String bootstrapServers;
        private Topic<String, MaskEvent> masksTopic = Topics.MASKS;
        private Topic<String, Frame> framesTopic = Topics.FRAMES;
        private String groupId;
        private boolean fromBeginning;
        private Duration duration;
        private long maxFrames;
        private OverlayWriter overlays;
        private PrintWriter table;
        private boolean tableInPlace;
        private Duration tableInterval = Duration.ofSeconds(1);
        private Consumer<MaskEvent> listener;
        private final List<Consumer<JoinedMask>> joinListeners = new ArrayList<>();
        private final Map<String, Object> consumerProperties = new HashMap<>();
        private int joinCapacity = DEFAULT_JOIN_FRAMES;
        private long joinMemory = FrameJoinBuffer.defaultMaxBytes();
        private Duration forgetAfter;

        private Builder() {}

        /**
         * Sets the Kafka bootstrap servers.
         *
         * @param bootstrapServers {@code host:port[,host:port...]}
         * @return this builder
         */
        public Builder setBootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /**
         * Follows another topic than {@link Topics#MASKS}.
         *
         * @param topic the topic, with the mask event serdes
         * @return this builder
         */
        public Builder optMasksTopic(Topic<String, MaskEvent> topic) {
            this.masksTopic = Objects.requireNonNull(topic, "topic");
            return this;
        }

        /**
         * Reads frames for overlays from another topic than {@link Topics#FRAMES}.
         *
         * @param topic the topic, with the frame serdes
         * @return this builder
         */
        public Builder optFramesTopic(Topic<String, Frame> topic) {
            this.framesTopic = Objects.requireNonNull(topic, "topic");
            return this;
        }

        /**
         * Consumes in a consumer group, committing offsets, instead of assigning itself every
         * partition.
         *
         * @param groupId the group id
         * @return this builder
         */
        public Builder optGroupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /**
         * Starts at the earliest offsets (for a group: when it has no committed offsets) instead of
         * following only new masks.
         *
         * @param fromBeginning whether to read from the beginning
         * @return this builder
         */
        public Builder optFromBeginning(boolean fromBeginning) {
            this.fromBeginning = fromBeginning;
            return this;
        }

        /**
         * Stops after a time.
         *
         * @param duration how long to follow
         * @return this builder
         */
        public Builder optDuration(Duration duration) {
            this.duration = duration;
            return this;
        }

        /**
         * Stops after a number of mask events, skipped ones included.
         *
         * @param maxFrames the limit, or 0 for none
         * @return this builder
         */
        public Builder optMaxFrames(long maxFrames) {
            this.maxFrames = maxFrames;
            return this;
        }

        /**
         * Draws overlays, reading the frames topic too; the caller closes the writer.
         *
         * @param overlays where overlays go
         * @return this builder
         */
        public Builder optOverlays(OverlayWriter overlays) {
            this.overlays = overlays;
            return this;
        }

        /**
         * Prints the per-camera table every interval and at the end.
         *
         * @param out where to print
         * @param inPlace whether to redraw the table in place with ANSI escapes (for a terminal);
         *     then, while it runs, lines written to {@code System.err} print above the table
         *     ({@link LiveTable#routeStandardError})
         * @return this builder
         */
        public Builder optTable(PrintWriter out, boolean inPlace) {
            this.table = Objects.requireNonNull(out, "out");
            this.tableInPlace = inPlace;
            return this;
        }

        /**
         * Sets how often the table is printed; every second by default.
         *
         * @param interval the interval
         * @return this builder
         */
        public Builder optTableInterval(Duration interval) {
            this.tableInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Calls back on every mask event, on the follower's thread, after the statistics.
         *
         * @param listener the callback
         * @return this builder
         */
        public Builder optListener(Consumer<MaskEvent> listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Joins every mask with its frame, reading the frames topic too, and calls back with each
         * pair on the follower's thread (after the overlay, if any); a mask whose frame never came
         * is handed over without one. Repeat for more listeners.
         *
         * @param joinListener the callback; it should return quickly
         * @return this builder
         */
        public Builder optJoinListener(Consumer<JoinedMask> joinListener) {
            joinListeners.add(Objects.requireNonNull(joinListener, "joinListener"));
            return this;
        }

        /**
         * Adds consumer properties that replace the follower's defaults.
         *
         * @param properties consumer properties
         * @return this builder
         */
        public Builder optConsumerProperties(Map<String, ?> properties) {
            consumerProperties.putAll(properties);
            return this;
        }

        /**
         * Sets how many frames, and masks waiting for a frame, are kept per camera for the join;
         * {@value MaskFollower#DEFAULT_JOIN_FRAMES} by default.
         *
         * @param perCamera the bound
         * @return this builder
         */
        public Builder optJoinCapacity(int perCamera) {
            this.joinCapacity = perCamera;
            return this;
        }

        /**
         * Sets the most bytes the join holds over all cameras, frames and waiting masks by its own
         * estimate; past it the oldest go first, their masks released without them as when a
         * camera's own bound is reached. A quarter of the heap by default.
         *
         * @param bytes the bound, at least 1
         * @return this builder
         */
        public Builder optJoinMemory(long bytes) {
            this.joinMemory = bytes;
            return this;
        }

        /**
         * Forgets a camera's statistics after a time with no mask from it: it leaves {@link
         * #snapshot}, the table and the result, and starts new figures if it sends again. By
         * default every camera seen is kept, for the final table.
         *
         * @param idle how long a camera is kept without a mask
         * @return this builder
         */
        public Builder optForgetIdleCameras(Duration idle) {
            this.forgetAfter = Objects.requireNonNull(idle, "idle");
            return this;
        }

        /**
         * Validates the settings, the consumer's too ({@link #consumerConfigProblem}).
         *
         * @return the follower, not yet running
         * @throws IllegalArgumentException when a setting is missing or out of range, or Kafka
         *     makes no consumer of the consumer properties
         */
        public MaskFollower build() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException(
                        "expected Kafka bootstrap servers (host:port) but none were given");
            }
            if (duration != null && (duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException(
                        "expected a positive duration but found " + duration);
            }
            if (maxFrames < 0) {
                throw new IllegalArgumentException(
                        "expected a frame limit >= 0 but found " + maxFrames);
            }
            if (forgetAfter != null && (forgetAfter.isNegative() || forgetAfter.isZero())) {
                throw new IllegalArgumentException(
                        "expected a positive time to forget an idle camera but found "
                                + forgetAfter);
            }
            if (tableInterval.isNegative() || tableInterval.isZero()) {
                throw new IllegalArgumentException(
                        "expected a positive table interval but found " + tableInterval);
            }
            if (groupId != null && groupId.isBlank()) {
                throw new IllegalArgumentException("a consumer group id must not be blank");
            }
            String refused =
                    consumerConfigProblem(
                            bootstrapServers, groupId, fromBeginning, consumerProperties);
            if (refused != null) {
                throw new IllegalArgumentException(refused);
            }
            return new MaskFollower(this); // the join checks its bounds
        }
    }
}
