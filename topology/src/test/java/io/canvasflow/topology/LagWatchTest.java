package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LagWatchTest {

    @Test
    void shouldWarnOncePerCameraPerMinuteWhenACameraFallsBehind() {
        LagWatch watch = new LagWatch(CanvasFlowConfig.fromMap(Map.of("lag.warn.ms", "1000")));

        List<Boolean> warned =
                List.of(
                        watch.check("a", 900, 0), // in time
                        watch.check("a", 1500, 1_000), // behind: warns
                        watch.check("a", 5000, 30_000), // still behind, within the minute
                        watch.check("b", 2000, 30_000), // another camera: warns
                        watch.check("a", 5000, 61_000)); // a minute later: warns again

        assertEquals(List.of(false, true, false, true, true), warned);
    }

    @Test
    void shouldNeverWarnWhenTurnedOff() {
        LagWatch watch = new LagWatch(CanvasFlowConfig.fromMap(Map.of("lag.warn.ms", "0")));

        assertEquals(false, watch.check("a", 1_000_000, 0));
    }
}
