package io.canvasflow.tools.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.tools.common.CpuUse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModeRunnerTest {

    @Test
    void shouldTakeFramesPerSecondProcessorTimeAndStagesOverOneSpan() {
        // Given a 2 s span in which one stream thread segmented 40 frames: 1.6 s of frame stages,
        // 0.2 s of commit waits and 0.1 s more blocked on polls
        CpuUse.Usage cpu = usage(2_000);
        StageTimes start = stages(0, 0, 0, 0);
        StageTimes end = stages(40, 1_600, 200, 300);

        // When the drain is taken over it
        ModeOutcome.Drain drain = ModeOutcome.Drain.over(cpu, start, end, 40, 1, 1.5);

        // Then every frame counts over the span the processor time is of: 20 frames/s
        assertEquals(20.0, drain.fps(), 1e-9);
        assertEquals(40, drain.fps() * drain.cpu().wallMs() / 1000, 1e-9);
        // and the stage rows add up to the thread's 50 ms a frame: 40 in the stages, 5 waiting on
        // commits, 2.5 on polls, 2.5 other
        assertEquals(40.0, drain.stagesMs().get("backbone"), 1e-9);
        assertEquals(5.0, drain.stagesMs().get(StageTimes.COMMIT_WAIT), 1e-9);
        assertEquals(2.5, drain.stagesMs().get(StageTimes.POLL_WAIT), 1e-9);
        assertEquals(2.5, drain.stagesMs().get(StageTimes.OTHER), 1e-9);
    }

    @Test
    void shouldGiveNoRateWithoutFramesOrTime() {
        assertTrue(
                Double.isNaN(
                        ModeOutcome.Drain.over(
                                        usage(1_000),
                                        stages(0, 0, 0, 0),
                                        stages(0, 0, 0, 0),
                                        0,
                                        1,
                                        1.0)
                                .fps()));
        ModeOutcome.Drain none =
                ModeOutcome.Drain.over(
                        usage(0), stages(0, 0, 0, 0), stages(3, 90, 0, 0), 3, 1, 1.0);
        assertTrue(Double.isNaN(none.fps()) && none.stagesMs().isEmpty(), none.toString());
    }

    private static CpuUse.Usage usage(double wallMs) {
        return new CpuUse.Usage(wallMs, Map.of(), Double.NaN, Double.NaN, Double.NaN, 2);
    }

    /** Stage timer totals: the frames encoded, all stage time in the backbone, commit, blocked. */
    private static StageTimes stages(
            double frames, double backboneMs, double commitMs, double blockedMs) {
        Map<String, Double> nanos = new LinkedHashMap<>();
        nanos.put("backbone", backboneMs * 1e6);
        nanos.put("encode", 0.0);
        nanos.put("frames", frames);
        nanos.put("blocked", blockedMs * 1e6);
        nanos.put(StageTimes.COMMIT_WAIT, commitMs * 1e6);
        nanos.put(StageTimes.COMMIT_FLUSH, 0.0);
        nanos.put(StageTimes.COMMITS, 0.0);
        return new StageTimes(nanos);
    }
}
