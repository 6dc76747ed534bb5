package io.canvasflow.trainer.data;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One camera's frames in a labelled-frames topic, cut into the {@code label} runs they came from:
 * each run numbers its frames from its footage's start, so a frame numbered at or below the one
 * before it starts a new run, as serve's SEQUENCE_RESTART.
 *
 * <p>"Before" is capture order, not poll order: {@code label} keys every record by its camera, so a
 * camera's frames sit on one partition, in the order written, until partitions are added between
 * two runs (or a topic is written by other means), and a read then gets the partitions' records in
 * an interleaving of its own. Each partition's records keep their order; the partitions are merged
 * by capture time.
 *
 * <p>A run is known by its capture times ({@link Span}), which stay what they are when retention
 * deletes older runs, or the start of this one, where a position among the runs read would not.
 *
 * @param <T> what is kept of a frame read for training
 */
public final class CameraRuns<T> {

    /** A frame as the read met it; {@code kept} is null for one not selected. */
    private record Seen<T>(long number, long captureMs, T kept) {}

    /** Each partition's frames of the camera, in the partition's order. */
    private final Map<Integer, List<Seen<T>>> byPartition = new TreeMap<>();

    CameraRuns() {}

    /**
     * Adds the camera's next frame of a partition, selected or not: a run's bounds do not depend on
     * the frames asked for.
     *
     * @param kept what is kept of it, or null when it is not selected
     */
    void add(int partition, long number, long captureMs, T kept) {
        byPartition
                .computeIfAbsent(partition, p -> new ArrayList<>())
                .add(new Seen<>(number, captureMs, kept));
    }

    /**
     * A run that has frames selected.
     *
     * @param span the capture times of all its frames read, selected or not
     * @param selected its selected frames by number (numbers only rise within a run)
     */
    record Run<T>(Span span, TreeMap<Long, T> selected) {}

    /** The runs that have frames selected, in capture order. */
    List<Run<T>> runs() {
        List<Run<T>> out = new ArrayList<>();
        TreeMap<Long, T> selected = new TreeMap<>();
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        long previous = Long.MAX_VALUE;
        for (Seen<T> s : inCaptureOrder()) {
            if (s.number() <= previous && from != Long.MAX_VALUE) {
                addRun(out, from, to, selected);
                selected = new TreeMap<>();
                from = Long.MAX_VALUE;
                to = Long.MIN_VALUE;
            }
            from = Math.min(from, s.captureMs());
            to = Math.max(to, s.captureMs());
            previous = s.number();
            if (s.kept() != null) {
                selected.put(s.number(), s.kept());
            }
        }
        addRun(out, from, to, selected);
        return out;
    }

    private static <T> void addRun(
            List<Run<T>> out, long from, long to, TreeMap<Long, T> selected) {
        if (!selected.isEmpty()) {
            out.add(new Run<>(new Span(from, to), selected));
        }
    }

    /** The partitions' frames merged by capture time, each partition's in its own order. */
    private List<Seen<T>> inCaptureOrder() {
        List<List<Seen<T>>> partitions = new ArrayList<>(byPartition.values());
        if (partitions.size() == 1) {
            return partitions.get(0);
        }
        List<Seen<T>> out = new ArrayList<>();
        int[] next = new int[partitions.size()];
        while (true) {
            int earliest = -1;
            for (int p = 0; p < partitions.size(); p++) {
                if (next[p] < partitions.get(p).size()
                        && (earliest < 0
                                || partitions.get(p).get(next[p]).captureMs()
                                        < partitions
                                                .get(earliest)
                                                .get(next[earliest])
                                                .captureMs())) {
                    earliest = p;
                }
            }
            if (earliest < 0) {
                return out;
            }
            out.add(partitions.get(earliest).get(next[earliest]++));
        }
    }

    /**
     * The first and last capture times of a run's frames, epoch milliseconds: what a model's
     * lineage records of each run read, as {@code FIRST/LAST} (ISO-8601 instants), and what a
     * sequence of a camera's several runs is named after ({@code CAMERA:NUMBER@FIRST}).
     */
    public record Span(long fromMs, long toMs) {

        /** Whether a frame captured at {@code ms} is one of this run's. */
        public boolean contains(long ms) {
            return fromMs <= ms && ms <= toMs;
        }

        /** The first capture time, as a sequence's id names its run. */
        String first() {
            return Instant.ofEpochMilli(fromMs).toString();
        }

        @Override
        public String toString() {
            return first() + "/" + Instant.ofEpochMilli(toMs);
        }

        /**
         * Reads {@code FIRST/LAST}.
         *
         * @param what what the text is, for the message
         * @throws IllegalArgumentException naming {@code what} when it is not that
         */
        public static Span parse(String text, String what) {
            String[] parts = text.split("/", -1);
            try {
                if (parts.length != 2) {
                    throw new DateTimeParseException("not FIRST/LAST", text, 0);
                }
                return new Span(
                        Instant.parse(parts[0]).toEpochMilli(),
                        Instant.parse(parts[1]).toEpochMilli());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        what + " must be FIRST/LAST capture times (ISO-8601 instants), not " + text,
                        e);
            }
        }
    }
}
