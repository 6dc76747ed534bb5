package io.canvasflow.clients.view;

import io.canvasflow.clients.CameraSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One browser's Server-Sent Events stream: a {@code tile} event whenever a camera has a newer tile
 * than this browser got, and a {@code stats} event (every camera's statistics and the legends)
 * twice a second. It holds no queue: it remembers which tile version it sent per camera and sends
 * the board's newest, so a browser that reads slowly (the socket blocks the write) skips straight
 * to the newest frames when it catches up; what it skipped is counted.
 */
final class ViewStream {

    static final long STATS_INTERVAL_MILLIS = 500;

    private final int id;
    private final TileBoard board;
    private final Supplier<Map<String, CameraSummary>> stats;
    private final String source;
    private final BooleanSupplier closed;
    private final Map<String, Long> sentVersions = new HashMap<>();
    private final Map<String, Long> sentSequences = new ConcurrentHashMap<>();
    private volatile long tilesSent;
    private volatile long tilesSkipped;

    ViewStream(
            int id,
            TileBoard board,
            Supplier<Map<String, CameraSummary>> stats,
            String source,
            BooleanSupplier closed) {
        this.id = id;
        this.board = board;
        this.stats = stats;
        this.source = source;
        this.closed = closed;
    }

    /** Streams until the server closes or the browser goes away (an IOException). */
    void run(OutputStream out) throws IOException, InterruptedException {
        write(out, ": canvasflow live view\nretry: 1000\n\n");
        long seen = -1;
        long nextStats = 0;
        while (!closed.getAsBoolean()) {
            for (TileBoard.Tile tile : board.tiles()) {
                Long sent = sentVersions.get(tile.camera());
                if (sent != null && sent >= tile.version()) {
                    continue;
                }
                Long previous = sentSequences.get(tile.camera());
                if (previous != null && tile.sequence() > previous + 1) {
                    tilesSkipped += tile.sequence() - previous - 1;
                }
                write(out, "event: tile\ndata: " + tile.json() + "\n\n");
                sentVersions.put(tile.camera(), tile.version());
                sentSequences.put(tile.camera(), tile.sequence());
                tilesSent++;
            }
            long now = System.nanoTime();
            if (now - nextStats >= 0) {
                write(out, "event: stats\ndata: " + statsJson() + "\n\n");
                nextStats = now + STATS_INTERVAL_MILLIS * 1_000_000L;
            }
            out.flush();
            long wait = Math.max(1, (nextStats - System.nanoTime()) / 1_000_000L);
            seen = board.awaitChange(seen, wait);
        }
    }

    /** What this stream has sent, for {@code /status}. */
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("id", id);
        status.put("tilesSent", tilesSent);
        status.put("framesSkipped", tilesSkipped);
        status.put("sentSequences", new LinkedHashMap<>(sentSequences));
        return status;
    }

    private String statsJson() {
        List<Map<String, Object>> cameras = new ArrayList<>();
        for (CameraSummary s : stats.get().values()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("camera", s.cameraId());
            c.put("frames", s.frames());
            c.put("skipped", s.skipped());
            c.put("fps", round(s.fps()));
            c.put("latencyP50Millis", s.latencyP50Millis());
            c.put("latencyP99Millis", s.latencyP99Millis());
            c.put("meanIterations", round(s.segmentation().meanIterations()));
            c.put("seeded", s.segmentation().seeded());
            c.put("resets", s.segmentation().resetTotal());
            c.put(
                    "lastReset",
                    s.segmentation().lastReset() == null
                            ? null
                            : s.segmentation().lastReset().name());
            c.put("models", s.segmentation().models());
            c.put("newestSequence", s.lastSequence());
            cameras.add(c);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", source);
        out.put("cameras", cameras);
        out.put("legends", board.legends());
        out.put("newestMaskAgoMillis", board.millisSinceLastMask());
        return TileBoard.GSON.toJson(out);
    }

    private static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 100) / 100.0 : 0;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
