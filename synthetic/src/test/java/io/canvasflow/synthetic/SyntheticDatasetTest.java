package io.canvasflow.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticDatasetTest {

    @Test
    void shouldDrawSplitsFromDisjointSeedRanges() {
        Split[] splits = Split.values();
        for (int i = 0; i < splits.length; i++) {
            long lo = SyntheticDataset.seedFor(splits[i], 0);
            long hi = SyntheticDataset.seedFor(splits[i], Integer.MAX_VALUE);
            assertTrue(lo < hi);
            for (int j = i + 1; j < splits.length; j++) {
                long otherLo = SyntheticDataset.seedFor(splits[j], 0);
                long otherHi = SyntheticDataset.seedFor(splits[j], Integer.MAX_VALUE);
                assertTrue(hi < otherLo || otherHi < lo, splits[i] + " overlaps " + splits[j]);
            }
        }
    }

    @Test
    void shouldTellWhichSplitASeedBelongsTo() {
        for (Split s : Split.values()) {
            assertEquals(s, SyntheticDataset.splitOf(SyntheticDataset.seedFor(s, 0)));
            assertEquals(s, SyntheticDataset.splitOf(SyntheticDataset.seedFor(s, 123_456)));
        }
        assertThrows(IllegalArgumentException.class, () -> SyntheticDataset.splitOf(5));
    }

    @Test
    void shouldGiveEachSplitItsOwnScenesForTheSameIndex() {
        SyntheticDataset dataset = new SyntheticDataset();

        LabeledFrame train = dataset.frame(Split.TRAIN, 0, 96, 64);
        LabeledFrame validation = dataset.frame(Split.VALIDATION, 0, 96, 64);
        LabeledFrame test = dataset.frame(Split.TEST, 0, 96, 64);

        assertFalse(Arrays.equals(train.labels(), validation.labels()));
        assertFalse(Arrays.equals(validation.labels(), test.labels()));
        assertFalse(Arrays.equals(train.labels(), test.labels()));
    }

    @Test
    void shouldReturnTheRequestedSequence() {
        SyntheticDataset dataset = new SyntheticDataset();

        VideoSequence s = dataset.sequence(Split.TEST, 3, 4, 80, 60);

        assertEquals(4, s.size());
        assertEquals(80, s.frame(3).width());
        assertEquals(60, s.frame(3).height());
        assertArrayEquals(s.frame(0).labels(), dataset.frame(Split.TEST, 3, 80, 60).labels());
        assertEquals(ClassTable.SYNTHETIC, dataset.classes());
    }

    @Test
    void shouldRejectNegativeIndices() {
        assertThrows(
                IllegalArgumentException.class, () -> SyntheticDataset.seedFor(Split.TRAIN, -1));
    }
}
