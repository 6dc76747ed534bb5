package io.canvasflow.clients;

import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A one-line progress display of a publish job, rewritten in place with a carriage return: frames
 * acknowledged in total and per camera, the rate since the last update, elapsed time.
 */
final class ProgressLine {

    private static final int MAX_CAMERAS_SHOWN = 6;

    private final PrintWriter out;
    private final Supplier<Map<String, Long>> counts;
    private final long startNanos = System.nanoTime();
    private long lastNanos = startNanos;
    private long lastTotal;
    private int lastLength;

    ProgressLine(PrintWriter out, Supplier<Map<String, Long>> counts) {
        this.out = out;
        this.counts = counts;
    }

    /** Rewrites the line with the current counts. */
    synchronized void update() {
        long now = System.nanoTime();
        String line = format(counts.get(), now);
        // Pad with spaces so that a shorter line fully covers the previous one.
        out.print('\r' + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
    }

    /** Writes the final counts and ends the line. */
    synchronized void finish() {
        update();
        out.println();
        out.flush();
    }

    private String format(Map<String, Long> byCamera, long now) {
        long total = byCamera.values().stream().mapToLong(Long::longValue).sum();
        double interval = (now - lastNanos) / 1e9;
        double fps = interval > 0 ? (total - lastTotal) / interval : 0;
        lastNanos = now;
        lastTotal = total;
        StringBuilder line =
                new StringBuilder(String.format("published %d frames | %.1f fps |", total, fps));
        int shown = 0;
        for (Map.Entry<String, Long> camera : byCamera.entrySet()) {
            if (shown++ == MAX_CAMERAS_SHOWN) {
                line.append(" ...");
                break;
            }
            line.append(' ').append(camera.getKey()).append(' ').append(camera.getValue());
        }
        line.append(String.format(" | %.1f s", (now - startNanos) / 1e9));
        return line.toString();
    }
}
