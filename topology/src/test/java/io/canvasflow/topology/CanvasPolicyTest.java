package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.model.Architecture;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.TestModels;
import io.canvasflow.schemas.FrameOrder;
import io.canvasflow.schemas.avro.ResetReason;
import io.canvasflow.topology.CanvasPolicy.Action;
import io.canvasflow.topology.CanvasPolicy.Current;
import io.canvasflow.topology.CanvasPolicy.Decision;
import io.canvasflow.topology.CanvasPolicy.Previous;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

class CanvasPolicyTest {

    private static final String V1 = "rnn-v1";
    private static final long T = 1_000_000;

    /** Seeded 2, full 6, keyframe every 10th, gap 2 s, scene cut over 50 %, budget 100 ms. */
    private final CanvasPolicy policy = new CanvasPolicy(2, 6, 10, 2000, 0.5, 100);

    private static Previous previous(long sequence) {
        return new Previous(sequence, T, V1, 64, 48, true);
    }

    private static Current frame(long sequence, long captureMs) {
        return new Current(sequence, captureMs, 64, 48);
    }

    private Decision decide(Current frame, Previous previous) {
        return policy.decide(frame, previous, true, V1, frame.captureMs() + 10);
    }

    @Test
    void shouldSeedTheNextFrameOfTheSameCameraModelAndSize() {
        assertEquals(
                new Decision(Action.SEED, 2, null, false), decide(frame(2, T + 40), previous(1)));
    }

    @Test
    void shouldSeedAcrossLostFramesWithinTheTimeGap() {
        assertEquals(
                new Decision(Action.SEED, 2, null, false), decide(frame(7, T + 240), previous(1)));
    }

    @Test
    void shouldResetWithTheReasonThatApplies() {
        assertEquals(
                new Decision(Action.RESET, 6, ResetReason.FIRST_FRAME, false),
                decide(frame(1, T), null));
        assertEquals(
                new Decision(Action.RESET, 6, ResetReason.KEYFRAME, false),
                decide(frame(10, T + 40), previous(9)));
        assertEquals(
                new Decision(Action.RESET, 6, ResetReason.TIME_GAP, false),
                decide(frame(2, T + 2001), previous(1)));
        assertEquals(
                new Decision(Action.RESET, 6, ResetReason.FRAME_SIZE_CHANGE, false),
                decide(new Current(2, T + 40, 80, 60), previous(1)));
        assertEquals(
                new Decision(Action.RESET, 6, ResetReason.MODEL_VERSION_CHANGE, false),
                decide(frame(2, T + 40), new Previous(1, T, "rnn-v0", 64, 48, true)));
        assertEquals(
                new Decision(Action.RESET, 6, ResetReason.STATE_UNREADABLE, false),
                decide(frame(2, T + 40), new Previous(1, T, V1, 64, 48, false)));
        assertEquals(
                new Decision(Action.RESET, 6, ResetReason.STATE_UNREADABLE, false),
                policy.decide(frame(2, T + 40), null, false, V1, T + 50));
    }

    @Test
    void shouldStartANewRunWhenTheSequenceGoesBackWithANewerCaptureTime() {
        // A camera or publisher restart: sequence 0 (or the same number again), captured later
        Decision restart = decide(frame(0, T + 40), previous(5));
        Decision sameNumberLater = decide(frame(5, T + 40), previous(5));

        assertEquals(new Decision(Action.RESET, 6, ResetReason.SEQUENCE_RESTART, false), restart);
        assertTrue(restart.storesCanvas(), "the new run's canvas replaces the old one");
        assertEquals(
                new Decision(Action.RESET, 6, ResetReason.SEQUENCE_RESTART, false),
                sameNumberLater);
    }

    @Test
    void shouldNeverBeStuckAfterAnAbsurdSequence() {
        // One frame numbered Long.MAX_VALUE; the camera's next real frame restarts the run
        Previous absurd = new Previous(Long.MAX_VALUE, T, V1, 64, 48, true);

        assertEquals(
                new Decision(Action.RESET, 6, ResetReason.SEQUENCE_RESTART, false),
                decide(frame(6, T + 40), absurd));
    }

    @Test
    void shouldNotOverflowOnExtremeCaptureTimes() {
        // Captured at Long.MAX_VALUE, then at Long.MIN_VALUE: a gap, not a seed
        Previous max = new Previous(1, Long.MAX_VALUE, V1, 64, 48, true);
        Decision next = policy.decide(frame(2, Long.MIN_VALUE), max, true, V1, T);

        assertEquals(new Decision(Action.RESET, 6, ResetReason.TIME_GAP, false), next);
        assertEquals(
                Long.MAX_VALUE, FrameOrder.saturatedDifference(Long.MAX_VALUE, Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE + 1, FrameOrder.saturatedDifference(Long.MIN_VALUE, 1));
    }

    @Test
    void shouldDropDuplicatesAndKeepTheNewerCanvasForOutOfOrderFrames() {
        Decision duplicate = decide(frame(5, T), previous(5));
        Decision late = decide(frame(4, T - 40), previous(5));

        assertEquals(new Decision(Action.DROP, 0, null, false), duplicate);
        assertEquals(new Decision(Action.OUT_OF_ORDER, 6, ResetReason.OUT_OF_ORDER, false), late);
        assertFalse(late.storesCanvas());
    }

    @Test
    void shouldRunFewerSeededIterationsForALateFrameButNeverNone() {
        CanvasPolicy four = new CanvasPolicy(4, 6, 0, 0, 0.5, 100);
        Current frame = frame(2, T + 40);

        LongFunction<Decision> arrivingAt = now -> four.decide(frame, previous(1), true, V1, now);

        assertEquals(new Decision(Action.SEED, 4, null, false), arrivingAt.apply(T + 140));
        assertEquals(new Decision(Action.SEED, 3, null, true), arrivingAt.apply(T + 141));
        assertEquals(new Decision(Action.SEED, 2, null, true), arrivingAt.apply(T + 240));
        assertEquals(new Decision(Action.SEED, 1, null, true), arrivingAt.apply(T + 60_000));
    }

    @Test
    void shouldRunAModelThatReadsNoCanvasOnePassUnseededAndKeepTheFrameOrder() {
        // Given the policy of a feed-forward model under settings that name 3 and 5 iterations
        CanvasFlowConfig config =
                CanvasFlowConfig.defaults()
                        .with(CanvasFlowConfig.CANVAS_SEEDED_ITERATIONS, "3")
                        .with(CanvasFlowConfig.CANVAS_FULL_ITERATIONS, "5");
        CanvasPolicy ff =
                CanvasPolicy.of(
                        config,
                        TestModels.spec(ModelType.FEED_FORWARD, Architecture.tiny(), 64, 48));

        // When it decides on a first, a next, a lost-state, a duplicate and an older frame
        List<Decision> decisions =
                List.of(
                        ff.decide(frame(1, T), null, true, V1, T + 10),
                        ff.decide(frame(2, T + 40), previous(1), true, V1, T + 50),
                        ff.decide(frame(2, T + 40), null, false, V1, T + 50),
                        ff.decide(frame(5, T), previous(5), true, V1, T + 10),
                        ff.decide(frame(4, T - 40), previous(5), true, V1, T + 10));

        // Then every frame it runs is one pass from zero with no reason, stored unless older
        assertEquals(
                List.of(
                        new Decision(Action.RESET, 1, null, false),
                        new Decision(Action.RESET, 1, null, false),
                        new Decision(Action.RESET, 1, null, false),
                        new Decision(Action.DROP, 0, null, false),
                        new Decision(Action.OUT_OF_ORDER, 1, null, false)),
                decisions);
    }

    @Test
    void shouldCallItASceneCutWhenMoreThanTheFractionOfPixelsChangeClass() {
        byte[] before = {0, 0, 1, 1, 2, 2, 0, 1};
        byte[] half = {1, 1, 0, 0, 2, 2, 0, 1};
        byte[] most = {1, 1, 0, 0, 0, 0, 0, 1};

        assertFalse(policy.isSceneCut(before, half));
        assertTrue(policy.isSceneCut(before, most));
        assertFalse(
                new CanvasPolicy(2, 6, 0, 0, 1.0, 0)
                        .isSceneCut(before, new byte[] {2, 2, 2, 2, 0, 0, 2, 2}));
    }
}
