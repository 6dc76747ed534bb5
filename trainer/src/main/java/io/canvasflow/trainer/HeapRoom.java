package io.canvasflow.trainer;

import io.canvasflow.cli.options.CommandFailures;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * Whether what an option makes a command hold at once fits this JVM's heap: half of it, the rule a
 * synthetic camera's clip follows too (the rest is the model's, the libraries' and the
 * collector's). Checked before any work, so that a count too large is one sentence at once, not an
 * {@code OutOfMemoryError} after minutes of rendering or reading.
 */
public final class HeapRoom {

    private HeapRoom() {}

    /**
     * Says whether {@code count} things of {@code bytesEach} fit half of this JVM's heap.
     *
     * @param held what the option makes the command hold, to start the sentence, e.g. {@code
     *     --batch 100000 would hold 200000 256x192 frames and their crops}
     * @param count how many things it holds at once
     * @param bytesEach what one of them takes at least
     * @param todo what to give instead, from the most things that fit, e.g. {@code give --batch 90
     *     or less}
     * @return null when they fit, else one sentence: what it would hold, the bound, what to do
     */
    public static String problem(
            String held, long count, long bytesEach, LongFunction<String> todo) {
        return problem(
                held,
                count,
                bytesEach,
                todo,
                Runtime.getRuntime().maxMemory(),
                CommandFailures.heap());
    }

    /** As above, in a heap of {@code heapBytes}, named {@code heapName} (e.g. 6 GiB). */
    static String problem(
            String held,
            long count,
            long bytesEach,
            LongFunction<String> todo,
            long heapBytes,
            String heapName) {
        if (bytesEach <= 0 || count < 0) {
            throw new IllegalArgumentException(
                    "expected a count >= 0 of things of bytes > 0 but found "
                            + count
                            + " of "
                            + bytesEach);
        }
        long most = heapBytes / 2 / bytesEach;
        if (count <= most) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "%s at once, %s, but half of this JVM's heap of %s holds at most %d of"
                        + " them; %s, or more heap (CANVASFLOW_HEAP)",
                held,
                size(count * (double) bytesEach),
                heapName,
                most,
                todo.apply(most));
    }

    /**
     * A size in GiB, or in MiB below one GiB: "0.1 GiB" read as less than the 128 MiB it exceeded
     * in a heap of 256 MiB.
     */
    static String size(double bytes) {
        return bytes >= 1L << 30
                ? String.format(Locale.ROOT, "%.1f GiB", bytes / (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (1L << 20));
    }
}
