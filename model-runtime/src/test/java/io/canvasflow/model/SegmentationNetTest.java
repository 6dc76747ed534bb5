package io.canvasflow.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentationNetTest {

    @Test
    void shouldPickTheSameClassesAsPyTorchArgmaxIncludingTies() {
        // Given 9 classes of logits over 40 x 30 pixels, a quarter of them rounded so that ties
        // occur between classes
        int classes = 9;
        int pixels = 40 * 30;
        java.util.Random random = new java.util.Random(7);
        float[] logits = new float[classes * pixels];
        for (int i = 0; i < logits.length; i++) {
            float v = (float) random.nextGaussian();
            logits[i] = i % 4 == 0 ? Math.round(v) : v;
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray canvas = manager.create(logits, new Shape(1, classes, 30, 40));
            byte[] expected =
                    canvas.argMax(1)
                            .toType(ai.djl.ndarray.types.DataType.UINT8, false)
                            .toByteArray();

            // When the segmenter takes the argmax itself
            byte[] actual =
                    Segmenter.argmaxOverClasses(java.nio.FloatBuffer.wrap(logits), classes, pixels);

            // Then every pixel gets PyTorch's class, the first of equal maxima included
            assertArrayEquals(expected, actual);
            assertTrue(java.util.stream.IntStream.range(0, pixels).anyMatch(p -> actual[p] > 0));
        }
    }

    @Test
    void shouldReadTheUpsampledLogitsInPlaceForTheClassMap() {
        // Given a 9-class canvas of 10 x 8
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray canvas = manager.randomNormal(new Shape(1, 9, 8, 10));

            // When the class map of 40 x 30 is taken from the tensor's own memory
            byte[] actual = Segmenter.classMap(canvas, 40, 30);

            // Then it is PyTorch's argmax of the bilinearly upsampled canvas
            byte[] expected =
                    canvas.getNDArrayInternal()
                            .interpolation(new long[] {30, 40}, 1, false)
                            .argMax(1)
                            .toType(ai.djl.ndarray.types.DataType.UINT8, false)
                            .toByteArray();
            assertArrayEquals(expected, actual);
        }
    }

    @Test
    void shouldProduceCanvasAtCeilOfStrideForOddSizes() {
        try (SegmentationModel model = TestModels.tinyRecurrent(257, 193);
                Segmenter segmenter = model.newSegmenter()) {
            SegmentationResult result =
                    segmenter.segment(
                            SegmentRequest.builder()
                                    .setImage(TestModels.image(257, 193, 1))
                                    .optIterations(3)
                                    .optKeepIterations(true)
                                    .build());

            assertEquals(257, result.map().width());
            assertEquals(193, result.map().height());
            assertEquals(257 * 193, result.map().indices().length);
            assertEquals(3, result.canvas().classes());
            assertEquals(25, result.canvas().height()); // ceil(193 / 8)
            assertEquals(33, result.canvas().width()); // ceil(257 / 8)
            assertEquals(3, result.iterationMaps().size());
            assertArrayEquals(result.map().indices(), result.iterationMaps().get(2).indices());
            assertEquals(3, result.cost().iterationMillis().length);
            for (byte b : result.map().indices()) {
                assertTrue(b >= 0 && b < 3);
            }
        }
    }

    @Test
    void shouldRunAFeedForwardModelOnePassWhateverItIsAskedAndIgnoreItsSeed() {
        // Given a tiny feed-forward model and a seed canvas of the wrong shape for it
        try (SegmentationModel model =
                        SegmentationModel.initialize(
                                TestModels.spec(
                                        ModelType.FEED_FORWARD, Architecture.tiny(), 64, 48),
                                DeviceChoice.CPU);
                Segmenter segmenter = model.newSegmenter()) {
            Canvas seed = Canvas.zeros(3, 2, 2, model.spec().version());

            // When it is asked for 6 iterations from that seed
            SegmentationResult result =
                    segmenter.segment(
                            SegmentRequest.builder()
                                    .setImage(TestModels.image(64, 48, 1))
                                    .optSeed(seed)
                                    .optIterations(6)
                                    .optKeepIterations(true)
                                    .build());

            // Then it ran its head once, unseeded, and says so
            assertEquals(
                    List.of(1, false, 1, 1),
                    List.of(
                            result.iterations(),
                            result.seeded(),
                            result.cost().iterationMillis().length,
                            result.iterationMaps().size()));
        }
    }

    @Test
    void shouldAddLastLayerOutputToCanvasEachIteration() {
        try (SegmentationModel model = TestModels.tinyRecurrent(64, 64);
                NDManager manager = model.manager().newSubManager()) {
            SegmentationNet net = model.net();
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray images = manager.randomNormal(new Shape(2, 3, 64, 64));
            NDArray features = net.features(ps, images, false);
            NDArray canvas = net.zeroCanvas(features);
            NDList state = null;
            for (int k = 1; k <= 4; k++) {
                SegmentationNet.Step step = net.step(ps, features, canvas, state, false);
                float[] expected = canvas.add(step.update()).toFloatArray();
                assertArrayEquals(expected, step.canvas().toFloatArray(), 0f);
                // the last layer is an LSTM: its output o * tanh(c) is within (-1, 1)
                assertTrue(step.update().abs().max().getFloat() < 1f);
                assertTrue(step.canvas().sub(canvas).abs().max().getFloat() > 0f);
                canvas = step.canvas();
                state = step.state();
            }
        }
    }

    @Test
    void shouldProduceFiniteGradientsForEveryParameterThroughAllIterations() {
        for (ModelType type : ModelType.values()) {
            try (SegmentationModel model =
                            SegmentationModel.initialize(
                                    TestModels.spec(type, Architecture.tiny(), 64, 64),
                                    DeviceChoice.CPU);
                    NDManager manager = model.manager().newSubManager()) {
                SegmentationNet net = model.net();
                for (Pair<String, Parameter> p : net.getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        p.getValue().getArray().setRequiresGradient(true);
                    }
                }
                ParameterStore ps = new ParameterStore(manager, false);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray images = manager.randomNormal(new Shape(2, 3, 64, 64));
                    NDArray canvas = net.forward(ps, new NDList(images), true).singletonOrThrow();
                    NDArray loss = canvas.logSoftmax(1).get(":, 0").mean().neg();
                    gc.backward(loss);
                }
                int checked = 0;
                for (Pair<String, Parameter> p : net.getParameters()) {
                    if (!p.getValue().requiresGradient()) {
                        continue; // batch-norm running statistics
                    }
                    NDArray grad = p.getValue().getArray().getGradient();
                    assertTrue(
                            grad.isInfinite().logicalOr(grad.isNaN()).none().getBoolean(),
                            type + " " + p.getKey() + " has a non-finite gradient");
                    assertTrue(
                            grad.abs().sum().getFloat() > 0f,
                            type + " " + p.getKey() + " has a zero gradient");
                    checked++;
                }
                assertTrue(checked > 10, "only " + checked + " parameters checked");
            }
        }
    }
}
