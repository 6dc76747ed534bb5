package io.canvasflow.tools.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.clients.FollowResult;
import io.canvasflow.clients.PublishResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoReportTest {

    @TempDir Path out;

    @Test
    void shouldNotCallTheDemoCompleteWhenAFrameCouldNotBeSent() {
        // Given a camera whose one frame the broker never acknowledged, and so no mask is missing
        PublishResult sent =
                new PublishResult(
                        Map.of(
                                "cam",
                                new PublishResult.CameraResult(
                                        "cam", 0, 1, 0, 1.0, "a frame could not be sent")),
                        1.0);
        FollowResult followed = new FollowResult(Map.of(), 0, 0, 0, 0, Map.of(), Map.of(), 1.0);

        // When the report is made
        DemoReport report =
                new DemoReport(
                        "models/rnn",
                        null,
                        List.of(sent),
                        followed,
                        new DemoScore(),
                        List.of(),
                        Map.of(),
                        out);

        // Then it is not complete (the demo exits 1) and its summary says why
        assertFalse(report.complete());
        assertTrue(
                report.markdownSummary().contains("1 FRAME(S) COULD NOT BE SENT"),
                report.markdownSummary());
    }
}
