package org.danseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.danseg.data.Batch;
import org.danseg.model.Checkpoint;
import org.danseg.nn.SegmentationNet;

/**
 * Mean Teacher (Tarvainen and Valpola, NeurIPS 2017), the non-adversarial reference
 * ({@code --mode mean-teacher}): a teacher SN whose weights (and BatchNorm statistics) are an
 * exponential moving average of SN's, updated after every SN step including pre-training; on
 * unannotated patches SN's softmax on the strong view is pulled towards the teacher's on the weak
 * view (mean squared error), weighted by lambda. EN is not used. SN (the student) is the model
 * that is saved and evaluated, as in SSL4MIS.
 */
final class MeanTeacherSteps implements TrainingSteps {
    private final SnSupervision snSide;
    private final SegmentationNet teacher;
    private final double decay;
    // Parameters, not their arrays: loading a checkpoint replaces the arrays.
    private final List<Parameter> teacherParams = new ArrayList<>();
    private final List<Parameter> studentParams = new ArrayList<>();

    /** {@code teacher} must have SN's architecture and be initialised; it starts as a copy of SN. */
    MeanTeacherSteps(SnSupervision snSide, SegmentationNet teacher, double decay) {
        this.snSide = snSide;
        this.teacher = teacher;
        this.decay = decay;
        var s = snSide.sn.getParameters();
        var t = teacher.getParameters();
        for (int i = 0; i < s.size(); i++) {
            Parameter ps = s.valueAt(i);
            Parameter pt = t.valueAt(i);
            if (!s.keyAt(i).equals(t.keyAt(i))) {
                throw new IllegalStateException("teacher and student differ at " + s.keyAt(i));
            }
            pt.freeze(true);
            InPlace.copy(ps.getArray(), pt.getArray());
            studentParams.add(ps);
            teacherParams.add(pt);
        }
    }

    @Override
    public Map<Checkpoint.Network, AbstractBlock> extraNetworks() {
        return Map.of(Checkpoint.Network.TEACHER, teacher);
    }

    @Override
    public boolean needsStrongViews() {
        return true;
    }

    @Override
    public StepResult supervised(Batch b, NDManager it) {
        StepResult r = snSide.supervisedStep(b, it);
        updateTeacher(b.iteration());
        return r;
    }

    @Override
    public StepResult semiSupervised(Batch b, NDManager it, double lambda) {
        SnSupervision.Tensors t = snSide.tensors(b, it);
        // The teacher runs in training mode (batch statistics), as in the original code, its running
        // statistics put back: early running averages lag far behind the weights.
        NDArray teacherProb;
        try (RunningStatistics keepTeacher = new RunningStatistics(teacher)) {
            teacherProb = teacher.forward(snSide.store, new NDList(snSide.normalize(t.weak01())), true).singletonOrThrow().softmax(1);
        }
        StepResult result;
        try (GradientCollector gc = snSide.collector()) {
            NDArray logitsA = snSide.train(t.annotated01());
            NDArray probA = logitsA.softmax(1);
            try (SnSupervision.Pass s = snSide.trainKeepingStatistics(t.strong01())) {
                NDArray supervised = snSide.supervisedLoss(logitsA, probA, t.oneHot(), b.labelledPixels());
                NDArray consistency = s.logits().softmax(1).sub(teacherProb).square().mean();
                gc.backward(supervised.add(consistency.mul(Scalars.of(consistency, lambda))));
                snSide.optimizer.step();
                result = new StepResult(supervised.getFloat(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        SnSupervision.foreground(probA), consistency.getFloat(), Double.NaN);
            }
        }
        updateTeacher(b.iteration());
        return result;
    }

    /** teacher = a * teacher + (1 - a) * student, with a = min(1 - 1 / (step + 1), decay) as in the original code. */
    private void updateTeacher(int iteration) {
        float a = (float) Math.min(1.0 - 1.0 / (iteration + 2), decay);
        try (NDArray w = Scalars.of(studentParams.get(0).getArray(), 1 - a)) {
            for (int i = 0; i < teacherParams.size(); i++) {
                try (NDArray share = studentParams.get(i).getArray().mul(w)) {
                    teacherParams.get(i).getArray().muli(a).addi(share);
                }
            }
        }
    }
}
