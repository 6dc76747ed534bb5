package io.canvasflow.trainer.data;

/**
 * An inclusive range of a camera's frame sequence numbers, {@code FROM-TO}, as a user writes it for
 * training and held-out frames.
 *
 * @param from first sequence number
 * @param to last sequence number, inclusive
 */
public record SequenceRange(long from, long to) {

    /** Every sequence number. */
    public static final SequenceRange ALL = new SequenceRange(0, Long.MAX_VALUE);

    /** Checks the bounds. */
    public SequenceRange {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException(
                    "a frame range needs 0 <= FROM <= TO, got " + from + "-" + to);
        }
    }

    /**
     * Reads {@code FROM-TO}.
     *
     * @throws IllegalArgumentException naming the option when it is not two whole numbers
     */
    public static SequenceRange parse(String value, String option) {
        String[] parts = value.trim().split("-", -1);
        try {
            if (parts.length == 2) {
                return new SequenceRange(
                        Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // the sentence below says what was expected
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(
                option + " must be FROM-TO with whole frame numbers, e.g. 0-599; got " + value);
    }

    /** Whether {@code sequence} lies in the range. */
    public boolean contains(long sequence) {
        return sequence >= from && sequence <= to;
    }

    /**
     * The frames both ranges hold, which held out are not trained on: for the note that says so.
     *
     * @param heldOut the held-out range
     * @return the shared frames, or null when the ranges are apart
     */
    public SequenceRange overlap(SequenceRange heldOut) {
        long start = Math.max(from, heldOut.from);
        long end = Math.min(to, heldOut.to);
        return start <= end ? new SequenceRange(start, end) : null;
    }

    /** The range that holds both this one's frames and {@code number}. */
    public SequenceRange with(long number) {
        return new SequenceRange(Math.min(from, number), Math.max(to, number));
    }

    @Override
    public String toString() {
        return to == Long.MAX_VALUE ? from + "-" : from + "-" + to;
    }
}
