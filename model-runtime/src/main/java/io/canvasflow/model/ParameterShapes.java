package io.canvasflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The parameter shapes of a network about to be loaded, set without filling a value: each parameter
 * gets a zero-stride view of one scalar (PyTorch's {@code expand}), so a network whose model.json
 * asks for huge layers costs a few bytes a parameter until its size is compared with the parameter
 * file, and a legitimate load no longer draws random weights only to overwrite them (nor keeps them
 * attached to the model's manager for its lifetime).
 */
final class ParameterShapes implements AutoCloseable {

    private static final int FLOAT32_BYTES = 4;

    private final NDManager placeholders;
    private final Set<NDArray> unloaded = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, Shape> shapes;

    /**
     * Sets the shapes of the network's parameters for an input of {@code inputShape}.
     *
     * @param manager the model's manager; the placeholders live in a sub-manager of it, closed with
     *     this
     */
    ParameterShapes(SegmentationNet net, NDManager manager, Shape inputShape) {
        placeholders = manager.newSubManager();
        Initializer shapeOnly =
                (m, shape, dataType) -> {
                    NDArray view = m.zeros(new Shape(), dataType).broadcast(shape);
                    unloaded.add(view);
                    return view;
                };
        net.setInitializer(shapeOnly, p -> true);
        net.initialize(placeholders, DataType.FLOAT32, inputShape);
        shapes = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            shapes.put(p.getKey(), p.getValue().getShape());
        }
    }

    /** Each parameter's shape, by name, in the order the parameter file holds them. */
    Map<String, Shape> byName() {
        return Collections.unmodifiableMap(shapes);
    }

    /**
     * The bytes the parameters' values take as float32, the type a saved model holds: a parameter
     * file smaller than that cannot be this network's. Architecture's limits keep the sum far from
     * overflowing a long.
     */
    long float32Bytes() {
        long values = 0;
        for (Shape shape : shapes.values()) {
            values += shape.size();
        }
        return values * FLOAT32_BYTES;
    }

    /**
     * What makes the loaded parameters another network's, or null when they fit. DJL takes each
     * saved array as it is: parameters of another network of the same layout would load and only
     * fail on the first frame; and a parameter saved without values would keep its placeholder.
     */
    String mismatch(SegmentationNet net) {
        for (Pair<String, Parameter> p : net.getParameters()) {
            NDArray array = p.getValue().getArray();
            Shape needed = shapes.get(p.getKey());
            if (unloaded.contains(array)) {
                return "it holds no values for " + p.getKey();
            }
            if (!array.getShape().equals(needed)) {
                return p.getKey()
                        + " has shape "
                        + array.getShape()
                        + " where the network needs "
                        + needed;
            }
        }
        return null;
    }

    /** Frees the placeholders; call once every parameter holds loaded values. */
    @Override
    public void close() {
        placeholders.close();
    }
}
