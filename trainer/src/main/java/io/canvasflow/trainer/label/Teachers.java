package io.canvasflow.trainer.label;

/** Opens a teacher named the way the command line names it: {@code motion} or {@code onnx:FILE}. */
public final class Teachers {

    /** The prefix of an ONNX teacher's spec. */
    public static final String ONNX_PREFIX = "onnx:";

    private Teachers() {}

    /**
     * Opens a teacher.
     *
     * @param spec {@code motion} or {@code onnx:FILE}
     * @param motion the motion teacher's settings
     * @param onnx the ONNX teacher's settings (its file is the spec's path)
     * @throws TeacherException when the spec is unknown or the teacher cannot be loaded
     */
    public static Teacher open(
            String spec, MotionTeacher.Settings motion, OnnxTeacher.Settings onnx) {
        if ("motion".equals(spec)) {
            return new MotionTeacher(motion);
        }
        if (spec.startsWith(ONNX_PREFIX) && spec.length() > ONNX_PREFIX.length()) {
            return new OnnxTeacher(onnx);
        }
        throw new TeacherException("--teacher must be motion or onnx:FILE, got " + spec);
    }
}
