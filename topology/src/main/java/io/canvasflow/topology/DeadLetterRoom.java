package io.canvasflow.topology;

import static io.canvasflow.topology.CanvasFlowConfig.DLQ_ORIGINAL_MAX_BYTES;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits dead letters to the dead-letter topic as the cluster has it. A dead letter carries its
 * original record; one larger than the topic's {@code max.message.bytes} is refused by the broker,
 * which fails the stream thread, and the thread that replaces it fails on the same record: one bad
 * record near the frames topic's limit would stop its partition for good. Topics serve creates take
 * {@code frame.max.bytes} and a megabyte more, but topics created by others often keep the brokers'
 * default (about 1 MB) for frames and dead letters alike.
 *
 * <p>So at start, unless {@value CanvasFlowConfig#DLQ_ORIGINAL_MAX_BYTES} is set, the largest
 * original a dead letter keeps is lowered to what the topic holds, with one WARN line that says so
 * and how to raise the topic's limit; a larger bad record is dead-lettered with its topic,
 * partition and offset only, and stays in the frames topic. A value set above what the topic holds
 * is refused.
 */
final class DeadLetterRoom {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRoom.class);

    /**
     * What a dead letter takes besides its original value, camera ids aside: the original key (at
     * most {@value DeadLetters#KEY_MAX_BYTES}), the message (at most {@value
     * DeadLetters#MESSAGE_MAX_CHARS} characters, up to 3 bytes each), the source topic's name (at
     * most 249), the other fields, the Avro header and the record batch's (about 23 KiB in all).
     */
    static final int ENVELOPE_BYTES = 32 * 1024;

    private DeadLetterRoom() {}

    /**
     * Fits the settings to the frames and dead-letter topics' limits.
     *
     * @param config the settings; the topics exist
     * @param limits the limits, as read at start
     * @return the settings, with {@value CanvasFlowConfig#DLQ_ORIGINAL_MAX_BYTES} lowered where the
     *     dead-letter topic cannot hold a dead letter of the largest frame
     * @throws IllegalStateException with one sentence when {@value
     *     CanvasFlowConfig#DLQ_ORIGINAL_MAX_BYTES} is set above what the topic holds
     */
    static CanvasFlowConfig fit(CanvasFlowConfig config, TopicLimits limits) {
        Integer dlqLimit =
                limits.writableOrSay(
                        config.dlqTopic(),
                        "a dead letter",
                        DLQ_ORIGINAL_MAX_BYTES,
                        envelopeBytes(config));
        if (dlqLimit == null) {
            return config;
        }
        Integer framesLimit = limits.limits().get(config.framesTopic());
        return fit(config, framesLimit == null ? Integer.MAX_VALUE : framesLimit, dlqLimit);
    }

    /**
     * Fits the settings to limits already read.
     *
     * @param config the settings
     * @param framesLimit the frames topic's {@code max.message.bytes}
     * @param dlqLimit the largest record serve can write to the dead-letter topic
     * @return the settings, fitted
     */
    static CanvasFlowConfig fit(CanvasFlowConfig config, int framesLimit, int dlqLimit) {
        if (isSet(config)) {
            requireFits(config, dlqLimit);
            return config;
        }
        int room = Math.max(0, dlqLimit - envelopeBytes(config));
        // The largest original that can arrive: the frames topic bounds a record, frame.max.bytes
        // what a dead letter keeps of it.
        int largest = Math.min(config.dlqOriginalMaxBytes(), framesLimit);
        if (largest <= room) {
            return config;
        }
        LOG.warn(
                "the dead-letter topic {} takes records of at most {} bytes (max.message.bytes):"
                        + " a bad record over {} bytes is dead-lettered without its bytes; to keep"
                        + " every one, raise it to {} and restart (kafka-configs.sh"
                        + " --bootstrap-server {} --alter --entity-type topics --entity-name {}"
                        + " --add-config max.message.bytes={})",
                config.dlqTopic(),
                dlqLimit,
                room,
                needed(config, largest),
                config.bootstrapServers(),
                config.dlqTopic(),
                needed(config, largest));
        return config.with(DLQ_ORIGINAL_MAX_BYTES, Integer.toString(Math.max(1, room)));
    }

    /**
     * Refuses {@value CanvasFlowConfig#DLQ_ORIGINAL_MAX_BYTES} set above what a dead-letter topic
     * of this limit holds; unset, it is fitted instead ({@link #fit}).
     *
     * @param config the settings
     * @param dlqLimit the largest record serve can write to the dead-letter topic
     * @throws IllegalStateException with one sentence naming the setting and its largest value
     */
    static void requireFits(CanvasFlowConfig config, int dlqLimit) {
        int room = Math.max(0, dlqLimit - envelopeBytes(config));
        int kept = config.dlqOriginalMaxBytes();
        if (isSet(config) && kept > room) {
            throw new IllegalStateException(
                    DLQ_ORIGINAL_MAX_BYTES
                            + " is "
                            + kept
                            + " but the dead-letter topic "
                            + config.dlqTopic()
                            + " takes records of at most "
                            + dlqLimit
                            + " bytes (max.message.bytes), room for originals of "
                            + room
                            + "; set it to at most "
                            + room
                            + ", or raise the topic's max.message.bytes to "
                            + needed(config, kept));
        }
    }

    /** Whether the setting was given: 0, the default, asks for the fit wherever it was set. */
    private static boolean isSet(CanvasFlowConfig config) {
        return Integer.parseInt(config.settings().get(DLQ_ORIGINAL_MAX_BYTES).trim()) > 0;
    }

    /** The envelope, with the camera id twice (the record's key and a field) at 4 bytes a char. */
    static int envelopeBytes(CanvasFlowConfig config) {
        return (int) Math.min(Integer.MAX_VALUE, ENVELOPE_BYTES + 8L * config.cameraIdMaxLength());
    }

    /** The topic limit that holds a dead letter with an original of {@code original} bytes. */
    private static long needed(CanvasFlowConfig config, int original) {
        return (long) original + envelopeBytes(config);
    }
}
