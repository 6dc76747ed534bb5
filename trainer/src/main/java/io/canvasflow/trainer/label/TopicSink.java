package io.canvasflow.trainer.label;

import io.canvasflow.clients.FramePublisher;
import io.canvasflow.clients.ImageCodecs;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;

/**
 * Writes labelled frames to a topic in transactions of a bounded size ({@link
 * LabelJob.Batching#TRANSACTIONS}): a transaction may stay open for 15 minutes at most, so a run
 * that labels for longer (a slow teacher, a long video, a live stream) cannot be one. Consumers
 * that read committed records see whole transactions; a run that fails or is stopped leaves the
 * transactions it committed.
 */
public final class TopicSink implements LabelJob.Sink {

    private final FramePublisher publisher;
    private final Supplier<Map<String, String>> describe;
    private Map<String, String> metadata;
    private final LabelJob.Batching batching;
    private long open;
    private long checkpointed;

    /**
     * Begins the first transaction.
     *
     * @param publisher a publisher built with a transactional id
     * @param metadata every frame's metadata ({@link LabelJob#metadata}), asked for once, as the
     *     first frame is added: a teacher may describe itself fully only once it has seen a frame
     *     (an ONNX teacher decides then how its output is read)
     * @param batching when a transaction is committed
     */
    public TopicSink(
            FramePublisher publisher,
            Supplier<Map<String, String>> metadata,
            LabelJob.Batching batching) {
        this.publisher = publisher;
        this.describe = metadata;
        this.batching = batching;
        publisher.beginTransaction();
    }

    @Override
    public void add(String camera, long sequence, Instant capture, BufferedImage image, byte[] l) {
        if (metadata == null) {
            metadata = describe.get();
        }
        byte[] png = ImageCodecs.grayLabelPng(l, image.getWidth(), image.getHeight());
        publisher.publish(camera, sequence, capture, image, png, metadata);
        open++;
    }

    @Override
    public LabelJob.Batching batching() {
        return batching;
    }

    @Override
    public void checkpoint() {
        publisher.commitTransaction();
        checkpointed += open;
        open = 0;
        publisher.beginTransaction();
    }

    @Override
    public long checkpointed() {
        return checkpointed;
    }

    @Override
    public void commit() {
        publisher.commitTransaction();
    }

    @Override
    public void abort() {
        // Called from a finally block, where the failure that got here is what is told: a
        // producer that failed may refuse to abort, and the broker then aborts the transaction at
        // its timeout all the same (read_committed consumers never see it either way).
        try {
            publisher.abortTransaction();
        } catch (KafkaException | IllegalStateException e) {
            // the transaction ends at the broker's timeout
        }
    }

    @Override
    public void close() {
        publisher.close();
    }
}
