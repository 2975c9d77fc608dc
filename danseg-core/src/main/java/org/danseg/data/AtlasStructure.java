package org.danseg.data;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.danseg.io.nifti.NiftiDataType;
import org.danseg.io.nifti.NiftiVolume;

/** A binary label volume (uint8 0/1) from the voxels of an atlas whose value is in a list; keeps the atlas's header. */
public final class AtlasStructure {

    private AtlasStructure() {
    }

    public static NiftiVolume select(NiftiVolume atlas, List<Integer> values) {
        Set<Integer> wanted = new HashSet<>(values);
        float[] v = new float[atlas.values().length];
        for (int i = 0; i < v.length; i++) {
            if (wanted.contains(Math.round(atlas.values()[i]))) {
                v[i] = 1;
            }
        }
        return atlas.withValues(v, NiftiDataType.UINT8);
    }

    public static long count(NiftiVolume labels) {
        long n = 0;
        for (float f : labels.values()) {
            n += f != 0 ? 1 : 0;
        }
        return n;
    }
}
