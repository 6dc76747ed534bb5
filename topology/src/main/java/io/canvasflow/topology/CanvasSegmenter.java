package io.canvasflow.topology;

import io.canvasflow.model.Canvas;
import io.canvasflow.model.IncompatibleCanvasException;
import io.canvasflow.model.SegmentRequest;
import io.canvasflow.model.SegmentationResult;
import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ResetReason;
import java.awt.image.BufferedImage;
import java.util.function.LongSupplier;

/**
 * Segments one frame given its camera's stored canvas: asks the {@link CanvasPolicy}, runs the
 * model on the calling thread's segmenter, checks for a scene cut, and builds the event and the
 * state to store. No Kafka here; the processors own the store and the forwarding.
 *
 * <p>Time comes from a wall clock read when the frame is taken up (for the policy's lateness) and
 * again when its mask is built (the event's processed time). Kafka Streams' own {@code
 * currentSystemTimeMs()} is cached for a whole batch of records, so it would date a mask before its
 * model ran, and the later frames of a batch before the earlier ones were segmented.
 */
final class CanvasSegmenter {

    /**
     * What segmenting a frame produced.
     *
     * @param decision the decision that was carried out (a scene cut turns SEED into RESET)
     * @param mask the event to emit; null for a dropped duplicate
     * @param newState the canvas to store; null when the stored one must stay
     */
    record Outcome(CanvasPolicy.Decision decision, MaskEvent mask, CanvasState newState) {}

    private final CanvasPolicy policy;
    private final ModelSource model;
    private final MaskEncoder encoder;
    private final LongSupplier clock;

    CanvasSegmenter(CanvasPolicy policy, ModelSource model, LongSupplier clock) {
        this.policy = policy;
        this.model = model;
        this.clock = clock;
        this.encoder = new MaskEncoder(model.spec());
    }

    MaskEncoder encoder() {
        return encoder;
    }

    /**
     * Segments a frame.
     *
     * @param frame the validated frame
     * @param image its decoded image
     * @param stored the camera's stored canvas, or null
     * @param storeReadable false when a stored value exists but could not be deserialized
     */
    Outcome segment(Frame frame, BufferedImage image, CanvasState stored, boolean storeReadable) {
        long startMs = clock.getAsLong();
        Canvas seed = null;
        boolean logitsReadable = true;
        if (stored != null) {
            try {
                seed = CanvasStates.canvas(stored);
            } catch (IllegalArgumentException e) {
                logitsReadable = false;
            }
        }
        CanvasPolicy.Decision decision =
                policy.decide(
                        new CanvasPolicy.Current(
                                frame.getSequence(),
                                frame.getCaptureTimestamp().toEpochMilli(),
                                frame.getWidth(),
                                frame.getHeight()),
                        stored == null ? null : CanvasStates.previous(stored, logitsReadable),
                        storeReadable,
                        model.spec().version(),
                        startMs);
        if (decision.action() == CanvasPolicy.Action.DROP) {
            return new Outcome(decision, null, null);
        }
        SegmentationResult result;
        int iterations = 0;
        double modelMillis = 0;
        if (decision.seeded()) {
            try {
                result = run(frame, image, seed, decision.iterations());
                if (policy.isSceneCut(seed.argmax(), result.canvas().argmax())) {
                    iterations += result.iterations();
                    modelMillis += result.modelMillis();
                    decision = policy.reset(ResetReason.SCENE_CUT);
                    result = run(frame, image, null, decision.iterations());
                }
            } catch (IncompatibleCanvasException e) {
                // Same version but another shape: the stored canvas cannot be what it claims.
                decision = policy.reset(ResetReason.STATE_UNREADABLE);
                result = run(frame, image, null, decision.iterations());
            }
        } else {
            result = run(frame, image, null, decision.iterations());
        }
        iterations += result.iterations();
        modelMillis += result.modelMillis();
        MaskEvent mask =
                encoder.segmented(
                        frame,
                        result,
                        iterations,
                        decision.resetReason(),
                        modelMillis,
                        decision.budgetReduced(),
                        clock.getAsLong());
        CanvasState newState =
                decision.storesCanvas()
                        ? CanvasStates.of(frame, model.spec(), result.canvas())
                        : null;
        return new Outcome(decision, mask, newState);
    }

    private SegmentationResult run(Frame frame, BufferedImage image, Canvas seed, int iterations) {
        return model.segmenter()
                .segment(
                        SegmentRequest.builder()
                                .setImage(image)
                                .optSeed(seed)
                                .optIterations(iterations)
                                .optOutputSize(frame.getWidth(), frame.getHeight())
                                .build());
    }
}
