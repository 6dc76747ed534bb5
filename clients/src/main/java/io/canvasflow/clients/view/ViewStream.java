package io.canvasflow.clients.view;

import io.canvasflow.clients.CameraSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One browser's Server-Sent Events stream: a {@code tile} event whenever a camera has a newer tile
 * than this browser got, a {@code stats} event (every camera's statistics and the legends) twice a
 * second, and a {@code gone} event when a camera it showed has been forgotten. It holds no queue:
 * it remembers which tile version it sent per camera and sends the board's newest, so a browser
 * that reads slowly (the socket blocks the write) skips straight to the newest frames when it
 * catches up; what it skipped is counted.
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

    /** The cameras this browser has a tile for: sent a tile or statistics, not yet gone. */
    private final Set<String> told = new HashSet<>();

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
            List<TileBoard.Tile> tiles = board.tiles();
            for (TileBoard.Tile tile : tiles) {
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
                told.add(tile.camera());
                tilesSent++;
            }
            long now = System.nanoTime();
            if (now - nextStats >= 0) {
                Map<String, CameraSummary> cameras = stats.get();
                tellGone(out, tiles, cameras.keySet());
                write(out, "event: stats\ndata: " + statsJson(cameras) + "\n\n");
                told.addAll(cameras.keySet());
                nextStats = now + STATS_INTERVAL_MILLIS * 1_000_000L;
            }
            out.flush();
            long wait = Math.max(1, (nextStats - System.nanoTime()) / 1_000_000L);
            seen = board.awaitChange(seen, wait);
        }
    }

    /**
     * Sends a {@code gone} event for each camera this browser was told of that has neither a tile
     * on the board nor statistics any more (forgotten after {@link TileBoard#FORGET_AFTER} without
     * a mask), so that the page removes its tile. Both must be gone: a tile the page still had
     * statistics for would come back with the next {@code stats} event.
     */
    private void tellGone(OutputStream out, List<TileBoard.Tile> tiles, Set<String> withStats)
            throws IOException {
        Set<String> onBoard = new HashSet<>();
        tiles.forEach(tile -> onBoard.add(tile.camera()));
        for (Iterator<String> it = told.iterator(); it.hasNext(); ) {
            String camera = it.next();
            if (onBoard.contains(camera) || withStats.contains(camera)) {
                continue;
            }
            write(
                    out,
                    "event: gone\ndata: "
                            + TileBoard.GSON.toJson(Map.of("camera", camera))
                            + "\n\n");
            it.remove();
            sentVersions.remove(camera);
            sentSequences.remove(camera);
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

    private String statsJson(Map<String, CameraSummary> summaries) {
        List<Map<String, Object>> cameras = new ArrayList<>();
        for (CameraSummary s : summaries.values()) {
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
