package io.canvasflow.clients.view;

import com.google.gson.Gson;
import io.canvasflow.clients.ClassMap;
import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.clients.JoinedMask;
import io.canvasflow.schemas.FrameOrder;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest joined mask and frame of every camera, which the viewer's streams send to browsers.
 * Each camera holds one tile: a newer one replaces it, so a slow reader skips to the newest and
 * never sees a queue. A camera with no mask for {@link #FORGET_AFTER} is forgotten, its tile with
 * it, so that cameras that stopped neither stay in the heap nor reach every new browser. Every
 * change bumps a version that readers wait on. Thread-safe: a {@link
 * io.canvasflow.clients.MaskFollower} writes through {@link #onJoined}, stream threads read.
 */
public final class TileBoard {

    /**
     * How long a camera keeps its tile without a mask: five minutes, as long as {@code serve} keeps
     * a camera's series and its {@code /cameras} entry without a frame (Prometheus' default
     * lookback), so the viewer and serve forget a stopped camera alike. The page says "stale" after
     * 10 s without any mask, long before a tile goes. Checked whenever the board is written or read
     * (the streams read it twice a second), not on a timer of its own.
     */
    public static final Duration FORGET_AFTER = Duration.ofMinutes(5);

    /** Gson escapes {@code <}, {@code >}, {@code &} and quotes as {@code \u003c}... by default. */
    static final Gson GSON = new Gson();

    private static final Logger LOG = LoggerFactory.getLogger(TileBoard.class);

    private final Map<String, Tile> tiles = new LinkedHashMap<>();

    /** When each camera's newest mask came (shown or not), on {@link #nanoClock}. */
    private final Map<String, Long> lastMasks = new HashMap<>();

    private final Map<String, List<LegendEntry>> legends = new LinkedHashMap<>();
    private final LongSupplier nanoClock;
    private long version;
    private long lastMaskNanos;
    private boolean anyMask;
    private long tilesJoined;
    private long withoutFrame;
    private long unreadable;

    /**
     * One camera's newest picture: the mask event's figures and the images as {@code data:} URIs.
     *
     * @param version the board's version when it arrived, for readers to tell what they sent
     * @param camera the camera id, as published (the page shows it as text)
     * @param sequence the frame's sequence number
     * @param captureMillis the frame's capture time, in epoch milliseconds
     * @param json the tile as the JSON the page reads, made once for every reader
     */
    record Tile(long version, String camera, long sequence, long captureMillis, String json) {}

    /**
     * One class of a model's legend.
     *
     * @param name the class name the mask event gives
     * @param color its colour in the class map's palette, {@code #rrggbb}
     */
    record LegendEntry(String name, String color) {}

    /**
     * How often at most the cameras are walked for idle ones. A walk per mask cost O(cameras) on
     * every mask: 1,000 cameras at 10 frames/s walked 10 million entries a second. A tile then goes
     * at most a second after its {@link #FORGET_AFTER}.
     */
    private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

    private long lastSweepNanos;
    private boolean sweptOnce;

    /** A board on the system's monotonic clock. */
    public TileBoard() {
        this(System::nanoTime);
    }

    /** A board on another clock, for tests of how long ago the newest mask came. */
    TileBoard(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Takes a mask joined with its frame as the camera's newest tile, unless the camera already has
     * a newer one (see {@link #newer}). Never throws: a mask whose images cannot be used is logged
     * and counted.
     *
     * @param joined a mask event and its frame, or the mask alone
     */
    public void onJoined(JoinedMask joined) {
        MaskEvent mask = joined.mask();
        Frame frame = joined.frame();
        synchronized (this) {
            lastMaskNanos = nanoClock.getAsLong();
            anyMask = true;
            lastMasks.put(mask.getCameraId(), lastMaskNanos);
        }
        String json;
        List<LegendEntry> legend;
        try {
            byte[] png = ImageCodecs.bytes(mask.getClassMap());
            legend = legendOf(mask, png);
            json = tileJson(mask, frame, png);
        } catch (RuntimeException e) {
            synchronized (this) {
                unreadable++;
            }
            LOG.warn(
                    "cannot show mask {}/{}: {}",
                    mask.getCameraId(),
                    mask.getSequence(),
                    e.getMessage());
            return;
        }
        synchronized (this) {
            tilesJoined++;
            if (frame == null) {
                withoutFrame++;
            }
            forgetIdle();
            long capture = mask.getCaptureTimestamp().toEpochMilli();
            Tile current = tiles.get(mask.getCameraId());
            if (current != null && !newer(capture, mask.getSequence(), current)) {
                return;
            }
            if (legend != null) {
                legends.put(mask.getModelVersion(), legend);
            }
            version++;
            tiles.put(
                    mask.getCameraId(),
                    new Tile(version, mask.getCameraId(), mask.getSequence(), capture, json));
            notifyAll();
        }
    }

    /**
     * Whether a mask is newer than a camera's tile, as the topology's canvas policy reads frames: a
     * higher sequence, or a later capture (a restarted publisher numbers the camera's frames from 0
     * again while its capture times go on rising: SEQUENCE_RESTART), or the same frame again. By
     * sequence alone the tile stayed on the old run until the new one passed its number; by capture
     * time alone it froze when the camera's clock was set back.
     */
    private static boolean newer(long captureMillis, long sequence, Tile tile) {
        return FrameOrder.follows(sequence, captureMillis, tile.sequence(), tile.captureMillis())
                || (captureMillis == tile.captureMillis() && sequence == tile.sequence());
    }

    /**
     * Waits until the board is newer than a version, or the timeout.
     *
     * @param seen the version the caller has seen
     * @param timeoutMillis how long to wait at most
     * @return the board's version now
     * @throws InterruptedException when interrupted while waiting
     */
    public synchronized long awaitChange(long seen, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (version <= seen) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return version;
    }

    /**
     * The newest tile of every camera with a mask in the last {@link #FORGET_AFTER}, in order of
     * first appearance; the others are forgotten now.
     */
    synchronized List<Tile> tiles() {
        forgetIdle();
        return new ArrayList<>(tiles.values());
    }

    /** Forgets the cameras with no mask for longer than {@link #FORGET_AFTER}, with their tiles. */
    private void forgetIdle() {
        long now = nanoClock.getAsLong();
        if (now - lastSweepNanos < SWEEP_EVERY_NANOS && sweptOnce) {
            return;
        }
        sweptOnce = true;
        lastSweepNanos = now;
        boolean forgot = false;
        for (Iterator<Map.Entry<String, Long>> it = lastMasks.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<String, Long> camera = it.next();
            if (now - camera.getValue() > FORGET_AFTER.toNanos()) {
                it.remove();
                tiles.remove(camera.getKey());
                forgot = true;
            }
        }
        if (forgot) {
            version++; // the streams tell their browsers to remove the tiles
            notifyAll();
        }
    }

    /** Each model version's legend, as its masks named and coloured the classes. */
    synchronized Map<String, List<LegendEntry>> legends() {
        return new LinkedHashMap<>(legends);
    }

    /**
     * What the board was given.
     *
     * @param joined masks joined so far
     * @param withoutFrame those of them whose frame never came
     * @param unreadable masks that could not be shown (a class map that does not decode)
     */
    record Counts(long joined, long withoutFrame, long unreadable) {}

    synchronized Counts counts() {
        return new Counts(tilesJoined, withoutFrame, unreadable);
    }

    /**
     * Milliseconds since the newest mask came (with its frame or alone, shown or not), or null
     * before the first: the page says the tiles are stale when it grows.
     */
    synchronized Long millisSinceLastMask() {
        return anyMask ? (nanoClock.getAsLong() - lastMaskNanos) / 1_000_000 : null;
    }

    /** Wakes every {@link #awaitChange} caller, for a server that is closing. */
    synchronized void wakeReaders() {
        notifyAll();
    }

    /** The legend of a model version the board has not seen yet, else null (decoded once). */
    private List<LegendEntry> legendOf(MaskEvent mask, byte[] png) {
        synchronized (this) {
            if (legends.containsKey(mask.getModelVersion())) {
                return null;
            }
        }
        ClassMap map = ImageCodecs.classMap(png);
        List<String> names = mask.getClassNames();
        List<LegendEntry> legend = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            int rgb = map.hasColor(i) ? map.palette()[i] : 0x808080;
            legend.add(new LegendEntry(names.get(i), String.format("#%06x", rgb & 0xFFFFFF)));
        }
        return legend;
    }

    private static String tileJson(MaskEvent mask, Frame frame, byte[] png) {
        if (png.length == 0) {
            throw new IllegalArgumentException("the mask has no class map");
        }
        Map<String, Object> tile = new LinkedHashMap<>();
        tile.put("camera", mask.getCameraId());
        tile.put("sequence", mask.getSequence());
        tile.put("modelVersion", mask.getModelVersion());
        tile.put("iterations", mask.getIterations());
        tile.put("seeded", mask.getSeeded());
        tile.put(
                "resetReason", mask.getResetReason() == null ? null : mask.getResetReason().name());
        tile.put("latencyMillis", mask.getEndToEndLatencyMillis());
        tile.put("maskWidth", mask.getMaskWidth());
        tile.put("maskHeight", mask.getMaskHeight());
        tile.put("mask", "data:image/png;base64," + Base64.getEncoder().encodeToString(png));
        if (frame != null) {
            tile.put("width", frame.getWidth());
            tile.put("height", frame.getHeight());
            tile.put("frame", frameUri(frame));
        }
        return GSON.toJson(tile);
    }

    /** The frame as a JPEG or PNG {@code data:} URI; raw RGB24 is encoded as JPEG here. */
    private static String frameUri(Frame frame) {
        byte[] bytes;
        String type;
        if (frame.getEncoding() == ImageEncoding.RGB24) {
            bytes =
                    ImageCodecs.jpeg(
                            ImageCodecs.frameImage(frame), ImageCodecs.DEFAULT_JPEG_QUALITY);
            type = "image/jpeg";
        } else {
            bytes = ImageCodecs.bytes(frame.getImage());
            type = frame.getEncoding() == ImageEncoding.PNG ? "image/png" : "image/jpeg";
        }
        return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }
}
