package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.Split;
import io.canvasflow.synthetic.SyntheticDataset;
import io.canvasflow.synthetic.SyntheticVideoGenerator;
import io.canvasflow.synthetic.VideoSequence;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyntheticCameraSourceTest {

    @Test
    void shouldFilmTheTestSceneWithItsExactLabelsAsGroundTruth() {
        // Given the generator's own clip of test scene 2
        VideoSequence clip =
                new SyntheticVideoGenerator()
                        .generate(SyntheticDataset.seedFor(Split.TEST, 2), 3, 64, 48);

        // When
        List<SourceFrame> frames = read(new SyntheticCameraSource(2, 3, 64, 48));

        // Then: the same images, and ground truth PNGs that decode to the same labels
        assertEquals(3, frames.size());
        for (int i = 0; i < 3; i++) {
            LabeledFrame expected = clip.frame(i);
            SourceFrame frame = frames.get(i);
            assertEquals(i, frame.index());
            assertArrayEquals(pixels(expected.image()), pixels(frame.image()), "frame " + i);
            ClassMap truth = ImageCodecs.classMap(frame.groundTruthPng());
            assertArrayEquals(expected.labels(), truth.indices(), "labels of frame " + i);
            assertEquals(SyntheticCameraSource.classes().color(4), truth.palette()[4]);
        }
    }

    @Test
    void shouldFilmTheSameVideoForTheSameSceneAndAnotherForAnother() {
        List<SourceFrame> first = read(new SyntheticCameraSource(1, 2, 48, 32));
        List<SourceFrame> again = read(new SyntheticCameraSource(1, 2, 48, 32));
        List<SourceFrame> other = read(new SyntheticCameraSource(5, 2, 48, 32));

        assertArrayEquals(pixels(first.get(1).image()), pixels(again.get(1).image()));
        assertArrayEquals(first.get(1).groundTruthPng(), again.get(1).groundTruthPng());
        assertFalse(Arrays.equals(pixels(first.get(1).image()), pixels(other.get(1).image())));
    }

    @Test
    void shouldUseTestSplitSeeds() {
        assertEquals(Split.TEST, SyntheticDataset.splitOf(new SyntheticCameraSource(7, 1).seed()));
    }

    static List<SourceFrame> read(FrameSource source) {
        List<SourceFrame> frames = new ArrayList<>();
        try (source) {
            for (Optional<SourceFrame> f = source.next(); f.isPresent(); f = source.next()) {
                frames.add(f.get());
            }
        }
        return frames;
    }

    static int[] pixels(BufferedImage image) {
        BufferedImage bgr = ImageCodecs.toBgr(image);
        byte[] bytes = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        int[] out = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] & 0xFF;
        }
        return out;
    }
}
