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
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * What the topology does to one frame, minus Kafka: decodes it with the {@link FrameDecoder}, asks
 * the {@link CanvasPolicy} what to do given its camera's stored canvas, runs the model on the
 * calling thread's segmenter (iterations from the policy, so from the configuration and the model),
 * checks for a scene cut, and builds the {@link MaskEncoder} event and the state to store. The
 * processors own the stores and the forwarding; the pipeline benchmark calls this directly, so it
 * measures what serve does.
 *
 * <p>Time comes from a wall clock read when the frame is taken up (for the policy's lateness) and
 * again when its mask is built (the event's processed time). Kafka Streams' own {@code
 * currentSystemTimeMs()} is cached for a whole batch of records, so it would date a mask before its
 * model ran, and the later frames of a batch before the earlier ones were segmented.
 */
public final class CanvasSegmenter {

    /**
     * What segmenting a frame produced.
     *
     * @param decision the decision that was carried out (a scene cut turns SEED into RESET)
     * @param mask the event to emit; null for a dropped duplicate
     * @param newState the canvas to store; null when the stored one must stay
     * @param stages where the frame's milliseconds went; null for a dropped duplicate
     */
    public record Outcome(
            CanvasPolicy.Decision decision, MaskEvent mask, CanvasState newState, Stages stages) {}

    /**
     * Where a segmented frame's milliseconds went, after its decode (a scene cut runs the model
     * twice: both runs count).
     *
     * @param backboneMillis the feature extractor
     * @param iterationsMillis the ConvLSTM iterations
     * @param resizeMillis the segmenter's own work around the network: the input resize and
     *     normalisation, the upsample and argmax of the class map (most of it), and a GC pause that
     *     their allocations start
     * @param encodeMillis the mask event (the indexed PNG and the class fractions) and the new
     *     canvas's {@code CanvasState} (its float16 logits)
     */
    public record Stages(
            double backboneMillis,
            double iterationsMillis,
            double resizeMillis,
            double encodeMillis) {

        Stages plus(SegmentationResult.Cost cost) {
            double its = 0;
            for (double ms : cost.iterationMillis()) {
                its += ms;
            }
            return new Stages(
                    backboneMillis + cost.backboneMillis(),
                    iterationsMillis + its,
                    resizeMillis + Math.max(0, cost.totalMillis() - cost.backboneMillis() - its),
                    encodeMillis);
        }
    }

    private final FrameDecoder decoder;
    private final Map<String, CanvasPolicy> policies = new HashMap<>();
    private final ModelRouter models;
    private final Map<String, MaskEncoder> encoders = new HashMap<>();
    private final LongSupplier clock;
    private final CanvasFlowConfig config;
    private final MaskSize maskSize;

    /**
     * Creates the frame core of one processor (or one benchmark).
     *
     * @param config the settings: frame limits, iteration budgets, scene cuts, keyframes
     * @param model the model; each calling thread segments with its own segmenter
     * @param clock the wall clock in epoch milliseconds
     */
    public CanvasSegmenter(CanvasFlowConfig config, ModelSource model, LongSupplier clock) {
        this(config, ModelRouter.fixed(model), clock);
    }

    /**
     * Creates the frame core of one processor, each camera segmented by the model the router gives
     * it.
     *
     * @param config the settings: frame limits, iteration budgets, scene cuts, keyframes
     * @param models which model segments which camera
     * @param clock the wall clock in epoch milliseconds
     */
    public CanvasSegmenter(CanvasFlowConfig config, ModelRouter models, LongSupplier clock) {
        this.decoder = FrameDecoder.of(config);
        this.models = models;
        this.clock = clock;
        this.config = config;
        this.maskSize = MaskSize.of(config);
    }

    /**
     * The event of a frame that a newer one superseded before it was segmented (latest-only mode),
     * naming the model its camera has now.
     *
     * @param frame the skipped frame
     * @return the event
     */
    public MaskEvent skipped(Frame frame) {
        try (ModelRouter.Lease lease = models.acquire(frame.getCameraId())) {
            return encoder(lease.model()).skipped(frame, clock.getAsLong());
        }
    }

    /** The policy of a model's frames; one per version, as each model has its own iterations. */
    private CanvasPolicy policy(ModelSource model) {
        String version = model.spec().version();
        if (!policies.containsKey(version)) {
            forgetUnloadedVersions();
        }
        return policies.computeIfAbsent(version, v -> CanvasPolicy.of(config, model.spec()));
    }

    /** This core's encoder of a model's events; one per version, as an encoder has a palette. */
    private MaskEncoder encoder(ModelSource model) {
        String version = model.spec().version();
        if (!encoders.containsKey(version)) {
            forgetUnloadedVersions();
        }
        return encoders.computeIfAbsent(version, v -> new MaskEncoder(model.spec()));
    }

    /**
     * Drops the policies and encoders of versions the router no longer has loaded (removed or
     * evicted), when a version is new here: they would otherwise pile up, one of each per version
     * ever served, in every task. One used again is made again (both are made from its spec alone).
     */
    private void forgetUnloadedVersions() {
        Set<String> loaded = models.loadedVersions();
        policies.keySet().retainAll(loaded);
        encoders.keySet().retainAll(loaded);
    }

    /** The versions this core holds a policy or an encoder of. */
    Set<String> versionsHeld() {
        Set<String> held = new TreeSet<>(policies.keySet());
        held.addAll(encoders.keySet());
        return held;
    }

    /**
     * Checks a frame from its fields and image header, without decoding its pixels.
     *
     * @param key the record key
     * @param frame the frame
     * @throws InvalidFrameException when the frame is refused
     */
    public void validate(String key, Frame frame) {
        decoder.validate(key, frame);
    }

    /**
     * Checks a frame and decodes its image, once, for {@link #segment}.
     *
     * @param key the record key, which must be the frame's camera id
     * @param frame the frame
     * @return the decoded image
     * @throws InvalidFrameException when the frame is refused
     */
    public BufferedImage decode(String key, Frame frame) {
        return decoder.decode(key, frame);
    }

    /**
     * Segments a frame.
     *
     * @param frame the validated frame
     * @param image its decoded image
     * @param stored the camera's stored canvas, or null
     * @param storeReadable false when a stored value exists but could not be deserialized
     * @return what to emit and what to store
     */
    public Outcome segment(
            Frame frame, BufferedImage image, CanvasState stored, boolean storeReadable) {
        try (ModelRouter.Lease lease = models.acquire(frame.getCameraId())) {
            return segment(lease.model(), frame, image, stored, storeReadable);
        }
    }

    private Outcome segment(
            ModelSource model,
            Frame frame,
            BufferedImage image,
            CanvasState stored,
            boolean storeReadable) {
        long startMs = clock.getAsLong();
        CanvasPolicy policy = policy(model);
        Canvas seed = null;
        boolean logitsReadable = true;
        if (stored != null && policy.readsCanvas()) {
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
            return new Outcome(decision, null, null, null);
        }
        SegmentationResult result;
        int iterations = 0;
        double modelMillis = 0;
        Stages stages = new Stages(0, 0, 0, 0);
        if (decision.seeded()) {
            try {
                result = run(model, frame, image, seed, decision.iterations());
                if (policy.isSceneCut(seed.argmax(), result.canvas().argmax())) {
                    iterations += result.iterations();
                    modelMillis += result.modelMillis();
                    stages = stages.plus(result.cost());
                    decision = policy.reset(ResetReason.SCENE_CUT);
                    result = run(model, frame, image, null, decision.iterations());
                }
            } catch (IncompatibleCanvasException e) {
                // Same version but another shape: the stored canvas cannot be what it claims.
                decision = policy.reset(ResetReason.STATE_UNREADABLE);
                result = run(model, frame, image, null, decision.iterations());
            }
        } else {
            result = run(model, frame, image, null, decision.iterations());
        }
        iterations += result.iterations();
        modelMillis += result.modelMillis();
        stages = stages.plus(result.cost());
        long encodeStart = System.nanoTime();
        MaskEvent mask =
                encoder(model)
                        .segmented(
                                frame,
                                result,
                                iterations,
                                decision.resetReason(),
                                modelMillis,
                                decision.budgetReduced(),
                                clock.getAsLong());
        CanvasState newState = null;
        if (decision.storesCanvas()) {
            // A model that reads no canvas stores the frame's place without logits nothing reads.
            newState =
                    policy.readsCanvas()
                            ? CanvasStates.of(frame, model.spec(), result.canvas())
                            : CanvasStates.withoutCanvas(frame, model.spec());
        }
        stages =
                new Stages(
                        stages.backboneMillis(),
                        stages.iterationsMillis(),
                        stages.resizeMillis(),
                        (System.nanoTime() - encodeStart) / 1e6);
        return new Outcome(decision, mask, newState, stages);
    }

    private SegmentationResult run(
            ModelSource model, Frame frame, BufferedImage image, Canvas seed, int iterations) {
        int[] size =
                maskSize.of(
                        frame.getWidth(),
                        frame.getHeight(),
                        model.spec().input().width(),
                        model.spec().input().height());
        return model.segmenter()
                .segment(
                        SegmentRequest.builder()
                                .setImage(image)
                                .optSeed(seed)
                                .optIterations(iterations)
                                .optOutputSize(size[0], size[1])
                                .build());
    }
}
