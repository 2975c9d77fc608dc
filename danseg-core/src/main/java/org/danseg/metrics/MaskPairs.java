package org.danseg.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.danseg.data.DatasetException;
import org.danseg.data.MaskCollection;
import org.danseg.io.Mask;

/**
 * Pairs predicted masks with true masks by base name (two single files whatever their names),
 * checking that every true mask has a prediction of its size and every prediction a true mask;
 * all problems are reported together. {@code evaluate} and the experiment both pair here.
 */
public final class MaskPairs {

    private MaskPairs() {
    }

    public static List<Evaluator.Case> pair(MaskCollection pred, MaskCollection truth) throws DatasetException {
        List<String> problems = new ArrayList<>();
        List<Evaluator.Case> cases = new ArrayList<>();
        boolean single = pred.masks().size() == 1 && truth.masks().size() == 1;
        for (Map.Entry<String, Mask> t : truth.masks().entrySet()) {
            Mask p = single ? pred.masks().values().iterator().next() : pred.masks().get(t.getKey());
            if (p == null) {
                problems.add(t.getKey() + ": has a true mask in " + truth.source() + " but no prediction in " + pred.source());
            } else if (p.width() != t.getValue().width() || p.height() != t.getValue().height()) {
                problems.add(t.getKey() + ": prediction is " + p.width() + "x" + p.height() + " but truth is "
                        + t.getValue().width() + "x" + t.getValue().height());
            } else {
                cases.add(new Evaluator.Case(t.getKey(), p, t.getValue()));
            }
        }
        if (!single) {
            for (String name : pred.masks().keySet()) {
                if (!truth.masks().containsKey(name)) {
                    problems.add(name + ": has a prediction in " + pred.source() + " but no true mask in " + truth.source());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DatasetException(problems.size() + " problem(s) pairing predictions with truth", problems);
        }
        return cases;
    }
}
