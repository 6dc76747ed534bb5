package io.canvasflow.tools.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyTest {

    @Test
    void shouldGiveOnlyThePercentilesTheArrivedMasksDecide() {
        // Given a probe of 40 frames of which 37 masks arrived, 1 to 37 ms
        List<Double> arrived = new ArrayList<>();
        for (int ms = 1; ms <= 37; ms++) {
            arrived.add((double) ms);
        }

        // When its figures are taken
        Latency l = Latency.of(40, 8.0, arrived);

        // Then it is incomplete, says so, and the missing masks count as the slowest: p50 is the
        // 20th fastest, and p99, which a missing mask decides, is not given
        assertEquals(List.of(40, 37, false), List.of(l.frames(), l.received(), l.complete()));
        assertEquals(20.0, l.p50Ms());
        assertEquals(Double.NaN, l.p99Ms());
        assertEquals(
                "latency probe incomplete: 37 of 40 masks arrived before the idle timeout; a"
                        + " percentile a missing mask would decide is not given",
                l.incompleteLine());
    }

    @Test
    void shouldGiveEveryPercentileOfACompleteProbe() {
        // Given every mask of 4 frames, When the figures are taken, Then they are all measured
        Latency l = Latency.of(4, 8.0, List.of(30.0, 10.0, 40.0, 20.0));
        assertEquals(List.of(true, 20.0, 40.0), List.of(l.complete(), l.p50Ms(), l.p99Ms()));
        assertEquals(null, l.incompleteLine());
        // and no probe is complete, with nothing measured
        assertEquals(true, Latency.none().complete());
    }

    @Test
    void shouldPutItsFiguresIntoAReportWithTheUnmeasuredOnesNull() {
        // Given a report object with a figure of its own, and a probe whose p99 was not measured
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("frames", 9);
        Latency l = new Latency(40, 37, 8.0, 20.0, Double.NaN);

        // When the probe's figures are put into it
        l.putInto(json);

        // Then they follow the report's own, named and ordered as every report writes them
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("frames", 9);
        expected.put("latencyFrames", 40);
        expected.put("latencyReceived", 37);
        expected.put("latencyComplete", false);
        expected.put("latencyRateFps", 8.0);
        expected.put("latencyP50Ms", 20.0);
        expected.put("latencyP99Ms", null);
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(json.entrySet()));
    }
}
