package io.canvasflow.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.schemas.avro.ResetReason;
import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.VideoSequence;
import io.canvasflow.topology.CanvasPolicy;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelledDataTest {

    private static final ClassTable TWO =
            ClassTable.withVocPalette(List.of("background", "person"));

    @Test
    void shouldWeighARareClassByTheInverseSquareRootOfItsShare() {
        // Given 99 background pixels, 1 person pixel and 20 ignored ones
        byte[] labels = new byte[120];
        labels[7] = 1;
        for (int i = 100; i < 120; i++) {
            labels[i] = (byte) ClassTable.IGNORE_LABEL;
        }
        LabelledData data = data(labels, 12, 10);
        // When balanced weights are taken
        float[] w = data.balancedClassWeights();
        // Then they are 1/sqrt(0.99) and 1/sqrt(0.01), scaled so the mean labelled pixel weighs 1
        double mean = 0.99 / Math.sqrt(0.99) + 0.01 / Math.sqrt(0.01);
        assertEquals(1 / Math.sqrt(0.99) / mean, w[0], 1e-5);
        assertEquals(10 / mean, w[1], 1e-4);
        assertEquals(1.0, 0.99 * w[0] + 0.01 * w[1], 1e-5);
    }

    @Test
    void shouldResizeLabelsByNearestNeighbourNeverBlendingThem() {
        byte[] labels = {0, 1, 1, (byte) 255};
        LabeledFrame large = LabelledData.resize(data(labels, 2, 2).frames().get(0), 4, 4);
        assertArrayEquals(
                new byte[] {0, 0, 1, 1, 0, 0, 1, 1, 1, 1, -1, -1, 1, 1, -1, -1}, large.labels());
    }

    @Test
    void shouldStartASeededRunWhereServesCanvasPolicyResetsOnACaptureTimeGap() {
        // Given one camera's consecutive frames captured at these times (ms): a gap of exactly
        // 2000, one of 2001, one of 2001 back in time, and times at the ends of a long
        long[] times = {
            1000,
            1040,
            3040,
            5041,
            5000,
            2999,
            3000,
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            Long.MIN_VALUE + 5
        };
        List<LabeledFrame> frames = new ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            frames.add(data(new byte[4], 2, 2).frames().get(0));
        }
        LabelledData data =
                new LabelledData(
                        TWO,
                        List.of(new VideoSequence("cam:7", frames)),
                        "test",
                        Map.of(),
                        List.of(times));
        // and serve's policy with a 2000 ms gap limit (no keyframes, scene cuts or budget)
        CanvasPolicy serve = new CanvasPolicy(2, 6, 0, 2000, 1.0, 0);
        List<Integer> servesResets = new ArrayList<>(List.of(0));
        for (int i = 1; i < times.length; i++) {
            CanvasPolicy.Decision d =
                    serve.decide(
                            new CanvasPolicy.Current(7 + i, times[i], 2, 2),
                            new CanvasPolicy.Previous(6 + i, times[i - 1], "v", 2, 2, true),
                            true,
                            "v",
                            0);
            if (!d.seeded()) {
                assertEquals(ResetReason.TIME_GAP, d.resetReason());
                servesResets.add(i);
            }
        }

        // When the frames are cut into seeded runs at serve's gap
        List<VideoSequence> runs = data.seededRuns(2000).get(0);

        // Then a run starts at each frame serve resets, and only there
        assertEquals(List.of(0, 3, 5, 7, 8), servesResets);
        assertEquals(
                List.of("cam:7", "cam:7+3", "cam:7+5", "cam:7+7", "cam:7+8"),
                runs.stream().map(VideoSequence::id).toList());
        assertEquals(List.of(3, 2, 2, 1, 2), runs.stream().map(VideoSequence::size).toList());
        // and no limit (serve's 0) keeps the sequence whole
        assertEquals(List.of(10), data.seededRuns(0).get(0).stream().map(s -> s.size()).toList());
    }

    @Test
    void shouldKeepASequenceWithoutCaptureTimesWhole() {
        // Given frames from files, which record no capture time
        LabelledData data = data(new byte[4], 2, 2);
        // Then the one sequence is one run, whatever the gap
        assertEquals(data.sequences(), data.seededRuns(1).get(0));
    }

    private static LabelledData data(byte[] labels, int w, int h) {
        LabeledFrame frame =
                new LabeledFrame(new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR), labels);
        return new LabelledData(
                TWO, List.of(new VideoSequence("s", List.of(frame))), "test", Map.of());
    }
}
