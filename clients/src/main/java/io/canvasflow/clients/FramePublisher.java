package io.canvasflow.clients;

import io.canvasflow.schemas.Topic;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Publishes camera frames to the frames topic, keyed by camera id, from a user's own code:
 *
 * <pre>{@code
 * // the frames topic must exist (see below): build() refuses a missing one
 * try (FramePublisher publisher =
 *         FramePublisher.builder().setBootstrapServers("localhost:9092").build()) {
 *     publisher.publish("cam-1", 0, Instant.now(), image, null, Map.of()).get();
 * }
 * }</pre>
 *
 * <p>The topic must exist before {@code build()}, which refuses a missing one in a sentence saying
 * how to create it: {@code canvasflow broker}, like many clusters, never creates a topic on first
 * use. The application creates the frames, masks and dead-letter topics when it starts with {@code
 * topics.create=true} ({@code canvasflow serve --create-topics}), so start it first; or create the
 * topic yourself, with {@link io.canvasflow.schemas.KafkaTopics#createIfAbsent} or {@code
 * kafka-topics.sh --create}.
 *
 * <p>Images are encoded as JPEG with a chosen quality, optionally after scaling to a fixed size or
 * down into a box with their aspect ratio kept (a ground truth class map is then scaled by nearest
 * neighbour to match). The producer is idempotent with {@code acks=all}, so a retried send never
 * duplicates or reorders a camera's frames; it compresses with lz4 and lingers a few milliseconds
 * to batch cameras together. Thread-safe: one publisher serves many cameras.
 */
public final class FramePublisher implements AutoCloseable {

    /**
     * How long a transactional publisher's transaction may stay open, unless its producer
     * properties say otherwise: the broker's default limit ({@code transaction.max.timeout.ms}).
     */
    public static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    /** The largest request the producer sends: room for a large JPEG and its ground truth. */
    public static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    /**
     * Kafka's framing of one record in a batch of its own, beyond key, value and headers: a 61-byte
     * batch header and at most 21 bytes of record header, with room to spare. A compressor's own
     * framing grows with the record and is counted apart ({@link #recordBytes}).
     */
    static final int FRAMING_BYTES = 256;

    private static final int DEFAULT_BATCH_BYTES = 256 * 1024;

    /** How long the producer waits to batch cameras together, in ms. */
    static final int LINGER_MS = 5;

    /**
     * A compressor's framing of incompressible data (a JPEG) is a few bytes per block of 16-64 KiB;
     * a byte per 1,024 covers it with room to spare.
     */
    private static final int COMPRESSION_FRAMING_EVERY = 1024;

    /** Sends values this publisher serialized itself: it measures each record before sending. */
    private final Producer<String, byte[]> producer;

    private final Topic<String, Frame> topic;
    private final float jpegQuality;
    private final int resizeWidth;
    private final int resizeHeight;
    private final boolean fitWithin;
    private final boolean transactional;
    private final Serializer<Frame> serializer;
    private final int maxRequestBytes;
    private final int topicLimit;
    private final int maxRecordBytes;

    private FramePublisher(Builder builder, int topicLimit) {
        this.topic = builder.topic;
        this.jpegQuality = builder.jpegQuality;
        this.resizeWidth = builder.resizeWidth;
        this.resizeHeight = builder.resizeHeight;
        this.fitWithin = builder.fitWithin;
        this.transactional =
                builder.producerProperties.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        Map<String, Object> config =
                producerConfig(builder.bootstrapServers, builder.producerProperties);
        // A transaction would commit without a frame refused here: the broker refuses it instead
        this.topicLimit = transactional ? 0 : topicLimit;
        try {
            // Kafka's own parsing: a value it would refuse is its ConfigException, as below
            this.maxRequestBytes = (Integer) parse(config, ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
            this.maxRecordBytes = topicLimit > 0 ? Math.min(topicLimit, maxRequestBytes) : 0;
            if (maxRecordBytes > 0
                    && !builder.producerProperties.containsKey(ProducerConfig.BATCH_SIZE_CONFIG)) {
                // frames that fit one by one, batched beyond the topic's limit, would be refused
                // as a batch, and the producer would split it with a WARN line
                config.put(
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        Math.max(1, Math.min(DEFAULT_BATCH_BYTES, maxRecordBytes - FRAMING_BYTES)));
            }
            this.producer =
                    new KafkaProducer<>(
                            config, topic.keySerde().serializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            // a property, a combination (acks with idempotence) or an address Kafka refuses
            throw new IllegalArgumentException(
                    ClientRefusal.sentence(config, e, ProducerConfig.configDef(), "producer"), e);
        }
        this.serializer = topic.valueSerde().serializer();
        if (transactional) {
            initTransactions(config);
        }
    }

    /** A producer setting as Kafka reads it, its default where unset. */
    private static Object parse(Map<String, Object> config, String name) {
        ConfigDef.ConfigKey key = ProducerConfig.configDef().configKeys().get(name);
        return ConfigDef.parseType(name, config.getOrDefault(name, key.defaultValue), key.type);
    }

    /**
     * Registers the transactional id with the cluster, closing the producer when that fails: its
     * network thread would otherwise go on trying to reach the cluster for the rest of the program.
     */
    private void initTransactions(Map<String, Object> config) {
        try {
            producer.initTransactions();
        } catch (RuntimeException | Error e) {
            producer.close(Duration.ZERO);
            if (e instanceof TimeoutException) {
                throw new TimeoutException(
                        "the Kafka cluster at "
                                + config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)
                                + " did not start transactional id "
                                + config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG)
                                + " within max.block.ms ("
                                + parse(config, ProducerConfig.MAX_BLOCK_MS_CONFIG)
                                + " ms): no broker answers there, or its transaction coordinator"
                                + " is not available; check the bootstrap servers and that the"
                                + " cluster is up",
                        e);
            }
            throw e;
        }
    }

    /**
     * Starts a transaction: frames sent from now on become visible to read_committed consumers
     * together, at {@link #commitTransaction}, or never, after {@link #abortTransaction}.
     *
     * @throws IllegalStateException unless the builder set a transactional id
     */
    public void beginTransaction() {
        if (!transactional) {
            throw new IllegalStateException("this publisher was built without a transactional id");
        }
        producer.beginTransaction();
    }

    /** Makes every frame sent in the transaction visible at once. */
    public void commitTransaction() {
        producer.commitTransaction();
    }

    /** Discards every frame sent in the transaction. */
    public void abortTransaction() {
        producer.abortTransaction();
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
     * The producer configuration a publisher uses: idempotent, {@code acks=all}, lz4, a 5 ms
     * linger, requests of up to {@link #MAX_REQUEST_BYTES}; then the overrides on top.
     *
     * @param bootstrapServers the Kafka bootstrap servers
     * @param overrides producer properties that replace the defaults
     * @return the configuration
     */
    public static Map<String, Object> producerConfig(
            String bootstrapServers, Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // JPEG is already entropy-coded; lz4 costs little and still shrinks headers and PNGs.
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, DEFAULT_BATCH_BYTES);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "canvasflow-publisher");
        config.putAll(overrides);
        return config;
    }

    /**
     * Encodes and sends one frame.
     *
     * @param cameraId the camera, also the record key
     * @param sequence the camera's frame counter
     * @param captureTime when the frame was captured (kept to the millisecond)
     * @param image the image
     * @param groundTruthPngOrNull an optional PNG of per-pixel class indices, or null
     * @param metadata free-form attributes, may be empty
     * @return the send's outcome; it completes when the broker has acknowledged the frame
     */
    public Future<RecordMetadata> publish(
            String cameraId,
            long sequence,
            Instant captureTime,
            BufferedImage image,
            byte[] groundTruthPngOrNull,
            Map<String, String> metadata) {
        return send(
                encode(cameraId, sequence, captureTime, image, groundTruthPngOrNull, metadata),
                null);
    }

    /**
     * Builds the frame record {@link #publish} would send, without sending it.
     *
     * @param cameraId the camera
     * @param sequence the camera's frame counter
     * @param captureTime when the frame was captured (kept to the millisecond)
     * @param image the image
     * @param groundTruthPngOrNull an optional PNG of per-pixel class indices, or null
     * @param metadata free-form attributes, may be empty
     * @return the frame
     */
    public Frame encode(
            String cameraId,
            long sequence,
            Instant captureTime,
            BufferedImage image,
            byte[] groundTruthPngOrNull,
            Map<String, String> metadata) {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(captureTime, "captureTime");
        Objects.requireNonNull(image, "image");
        if (cameraId.isBlank()) {
            throw new IllegalArgumentException("a camera id must not be blank");
        }
        BufferedImage scaled = image;
        byte[] truth = groundTruthPngOrNull;
        if (resizeWidth > 0) {
            int[] size =
                    fitWithin
                            ? ImageCodecs.fitWithin(
                                    image.getWidth(), image.getHeight(), resizeWidth, resizeHeight)
                            : new int[] {resizeWidth, resizeHeight};
            if (image.getWidth() != size[0] || image.getHeight() != size[1]) {
                scaled = ImageCodecs.resize(image, size[0], size[1]);
                if (truth != null) {
                    truth = resizeTruth(truth, size[0], size[1]);
                }
            }
        }
        return Frame.newBuilder()
                .setCameraId(cameraId)
                .setSequence(sequence)
                // Avro keeps milliseconds; truncating here makes the record equal its round trip.
                .setCaptureTimestamp(captureTime.truncatedTo(ChronoUnit.MILLIS))
                .setWidth(scaled.getWidth())
                .setHeight(scaled.getHeight())
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(ImageCodecs.jpeg(scaled, jpegQuality)))
                .setGroundTruth(truth == null ? null : ByteBuffer.wrap(truth))
                // Sorted: one frame is the same bytes on every run, whatever map it came in
                .setMetadata(metadata == null ? Map.of() : new TreeMap<>(metadata))
                .build();
    }

    /**
     * Sends a frame as it is, keyed by its camera id (for example one read back from a topic).
     *
     * @param frame the frame
     * @param callback called once with the metadata or the failure, may be null
     * @return the send's outcome
     */
    public Future<RecordMetadata> send(Frame frame, Callback callback) {
        Headers headers = new RecordHeaders();
        byte[] value = serializer.serialize(topic.name(), headers, frame);
        if (maxRecordBytes > 0) {
            long size = recordBytes(frame.getCameraId(), value, headers);
            if (size > maxRecordBytes) {
                // Refused here, as the producer or broker would refuse it, without a request
                RecordTooLargeException refused =
                        new RecordTooLargeException(
                                String.format(
                                        Locale.ROOT,
                                        "its record of about %d bytes is more than %s",
                                        size,
                                        maxRecordBytes < topicLimit
                                                ? "the producer's max.request.size of "
                                                        + maxRequestBytes
                                                        + " (raise it with --producer-property)"
                                                : "the "
                                                        + topicLimit
                                                        + " the topic "
                                                        + topic.name()
                                                        + " takes"));
                if (callback != null) {
                    callback.onCompletion(null, refused);
                }
                return CompletableFuture.failedFuture(refused);
            }
        }
        return producer.send(
                new ProducerRecord<>(topic.name(), null, frame.getCameraId(), value, headers),
                callback);
    }

    /** A record's size: its key, value and headers, and Kafka's framing. */
    private static long recordBytes(String key, byte[] value, Headers headers) {
        long bytes =
                FRAMING_BYTES
                        + value.length
                        + value.length / COMPRESSION_FRAMING_EVERY
                        + key.getBytes(StandardCharsets.UTF_8).length;
        for (Header header : headers) {
            bytes += header.key().getBytes(StandardCharsets.UTF_8).length;
            bytes += header.value() == null ? 0 : header.value().length;
        }
        return bytes;
    }

    /** Blocks until every frame sent so far has been acknowledged or has failed. */
    public void flush() {
        producer.flush();
    }

    /** Sends what is pending and closes the producer. */
    @Override
    public void close() {
        producer.close();
    }

    /**
     * Closes the producer, waiting at most {@code timeout} for what is pending: frames Kafka has
     * not answered for by then fail (their callbacks are called).
     *
     * @param timeout the longest wait
     */
    public void close(Duration timeout) {
        producer.close(timeout);
    }

    private static byte[] resizeTruth(byte[] png, int width, int height) {
        ClassMap map = ImageCodecs.resizeNearest(ImageCodecs.classMap(png), width, height);
        return map.palette().length == 0
                ? ImageCodecs.grayLabelPng(map.indices(), width, height)
                : ImageCodecs.indexedLabelPng(map.indices(), width, height, map.palette());
    }

    /** Configures a {@link FramePublisher}: {@code setX} is required, {@code optX} is optional. */
    public static final class Builder {

        private String bootstrapServers;
        private Topic<String, Frame> topic = Topics.FRAMES;
        private float jpegQuality = ImageCodecs.DEFAULT_JPEG_QUALITY;
        private int resizeWidth;
        private int resizeHeight;
        private boolean fitWithin;

        /** The topic's limit as set, or null to read it from the cluster. */
        private Integer topicLimit;

        private boolean checkTopic = true;
        private final Map<String, Object> producerProperties = new HashMap<>();

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
         * Publishes to another topic than {@link Topics#FRAMES}, for example a per-test copy.
         *
         * @param topic the topic, with the frame serdes
         * @return this builder
         */
        public Builder optTopic(Topic<String, Frame> topic) {
            this.topic = Objects.requireNonNull(topic, "topic");
            return this;
        }

        /**
         * Sets the JPEG quality; {@link ImageCodecs#DEFAULT_JPEG_QUALITY} by default.
         *
         * @param quality 0 (smallest) to 1 (best)
         * @return this builder
         */
        public Builder optJpegQuality(float quality) {
            this.jpegQuality = quality;
            return this;
        }

        /**
         * Scales every image to a fixed size before encoding.
         *
         * @param width the width, 1 to {@link CliValues#MAX_SIDE}
         * @param height the height, 1 to {@link CliValues#MAX_SIDE}
         * @return this builder
         */
        public Builder optResize(int width, int height) {
            this.resizeWidth = width;
            this.resizeHeight = height;
            this.fitWithin = false;
            return this;
        }

        /**
         * Scales every image larger than a box down to fit within it, keeping its aspect ratio; a
         * 1280x720 image in a 384x288 box becomes 384x216. Smaller images are kept as they are.
         *
         * @param maxWidth the box width, 1 to {@link CliValues#MAX_SIDE}
         * @param maxHeight the box height, 1 to {@link CliValues#MAX_SIDE}
         * @return this builder
         */
        public Builder optFitWithin(int maxWidth, int maxHeight) {
            this.resizeWidth = maxWidth;
            this.resizeHeight = maxHeight;
            this.fitWithin = true;
            return this;
        }

        /**
         * Adds producer properties that replace the publisher's defaults.
         *
         * @param properties producer properties, for example {@code compression.type=zstd}
         * @return this builder
         */
        public Builder optProducerProperties(Map<String, ?> properties) {
            producerProperties.putAll(properties);
            return this;
        }

        /**
         * Sends in transactions ({@link FramePublisher#beginTransaction}): what a run writes
         * becomes visible all at once or not at all. The transaction may stay open for up to 15
         * minutes, the broker's default maximum.
         *
         * @param transactionalId the producer's transactional id, unique per writer
         * @return this builder
         */
        public Builder optTransactionalId(String transactionalId) {
            producerProperties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            producerProperties.putIfAbsent(
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                    (int) TRANSACTION_TIMEOUT.toMillis());
            return this;
        }

        /**
         * Sets the topic's {@code max.message.bytes}, which {@link #build} otherwise reads from the
         * cluster when it checks the topic: a frame whose record would be larger, or larger than
         * the producer's {@code max.request.size}, is refused at once, as the broker would refuse
         * it, without a request (its send fails with a {@link RecordTooLargeException}), and
         * batches are kept within the limit. Not for a transactional publisher, whose transaction
         * would commit without the refused frame: the broker refuses it there.
         *
         * @param maxMessageBytes the topic's limit in bytes, 0 or more; 0 leaves the check to the
         *     broker
         * @return this builder
         */
        public Builder optTopicLimit(int maxMessageBytes) {
            this.topicLimit = maxMessageBytes;
            return this;
        }

        /**
         * Whether {@link #build} checks that the cluster answers and the topic exists (the
         * default), as every command does before it starts. Turn it off for a topic that is created
         * after the publisher is made, or a publisher that never sends: without the check a send to
         * a missing topic waits for the producer's {@code max.block.ms} (60 s unless set) and fails
         * with Kafka's TimeoutException, and the topic's limit ({@link #optTopicLimit}) is left to
         * the broker unless set.
         *
         * @param check false to build without asking the cluster
         * @return this builder
         */
        public Builder optCheckTopic(boolean check) {
            this.checkTopic = check;
            return this;
        }

        /**
         * Validates the settings; checks that the cluster answers and the topic exists, and reads
         * the topic's {@code max.message.bytes} unless {@link #optTopicLimit} set it, waiting up to
         * {@link io.canvasflow.cli.options.KafkaPreflight#DEFAULT_TIMEOUT} (10 s) for the cluster,
         * unless {@link #optCheckTopic} turned that off; makes the producer and, with a
         * transactional id, registers it with the cluster, which blocks up to the producer's {@code
         * max.block.ms} (60 s unless set). On any failure the producer is closed again.
         *
         * @return the publisher
         * @throws IllegalArgumentException when a setting is missing or out of range; when nothing
         *     accepts connections at the bootstrap servers, or what answers there is no Kafka
         *     broker; when the topic does not exist, in the sentence {@code canvasflow publish}
         *     gives: {@code topic frames does not exist at localhost:9092; start `canvasflow serve
         *     --create-topics` (...), or create it with kafka-topics.sh --create --topic frames};
         *     or when Kafka makes no producer of the producer properties or the bootstrap servers
         * @throws TimeoutException when a transactional publisher's cluster does not answer within
         *     {@code max.block.ms}, in one sentence naming the bootstrap servers
         * @throws KafkaException when the cluster refuses the transactional id otherwise (not
         *     authorized to use it, for example)
         */
        public FramePublisher build() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException(
                        "expected Kafka bootstrap servers (host:port) but none were given");
            }
            ImageCodecs.checkQuality(jpegQuality);
            // the same bound as the commands' --resize, and the model's largest input side
            // (model-runtime's SegmentationModel.MAX_INPUT_SIDE), which clients does not see
            if (resizeWidth < 0
                    || resizeHeight < 0
                    || (resizeWidth == 0) != (resizeHeight == 0)
                    || resizeWidth > CliValues.MAX_SIDE
                    || resizeHeight > CliValues.MAX_SIDE) {
                throw new IllegalArgumentException(
                        "expected a resize width and height from 1 to "
                                + CliValues.MAX_SIDE
                                + " but found "
                                + resizeWidth
                                + "x"
                                + resizeHeight);
            }
            if (topicLimit != null && topicLimit < 0) {
                throw new IllegalArgumentException(
                        "expected a topic limit (max.message.bytes) of 0 or more but found "
                                + topicLimit);
            }
            int limit = topicLimit == null ? 0 : topicLimit;
            if (checkTopic) {
                // before the producer, whose network thread would log a WARN line a second
                int read =
                        TopicCheck.require(
                                producerConfig(bootstrapServers, producerProperties),
                                topic.name(),
                                topicLimit == null
                                        && !producerProperties.containsKey(
                                                ProducerConfig.TRANSACTIONAL_ID_CONFIG));
                limit = topicLimit == null ? read : limit;
            }
            return new FramePublisher(this, limit);
        }
    }
}
