package io.canvasflow.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.clients.FollowResult;
import io.canvasflow.clients.PublishResult;
import io.canvasflow.tools.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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

    @Test
    void shouldWriteTheReportOverTheRunningNoteAndListOnlyTheChartsItDrew() throws Exception {
        // Given a demo folder holding the running note and an mIoU chart of an earlier demo, and a
        // report with no mask events (so no chart has data)
        Files.writeString(out.resolve(DemoReport.MARKDOWN), DemoReport.runningMarkdown(null));
        Files.writeString(out.resolve(DemoReport.MIOU_CHART), "old");
        FollowResult followed = new FollowResult(Map.of(), 0, 0, 0, 0, Map.of(), Map.of(), 1.0);
        DemoReport report =
                new DemoReport(
                        "models/rnn",
                        null,
                        List.of(),
                        followed,
                        new DemoScore(),
                        List.of(),
                        Map.of(),
                        out);

        // When it is written
        report.write(out);

        // Then the folder holds the JSON and the Markdown only, the old chart is gone, and the
        // JSON lists no chart
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(
                    List.of(DemoReport.JSON, DemoReport.MARKDOWN),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(
                List.of(),
                Json.parseObject(Files.readString(out.resolve(DemoReport.JSON))).get("charts"));
        assertFalse(
                Files.readString(out.resolve(DemoReport.MARKDOWN)).startsWith(DemoReport.RUNNING));
    }
}
