package org.danseg.io.nifti;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.danseg.io.Image2D;
import org.danseg.io.ImageFileReader;
import org.danseg.io.ImageFormatException;

/**
 * Reads a volume from NIfTI or from a multi-page grey TIFF stack (page = slice along z; voxel size
 * from the TIFF's pixel size in x and y, 1 along z). A TIFF stack gets a minimal NIfTI header, so the
 * rest of danseg treats both alike.
 */
public final class VolumeReader {

    private VolumeReader() {
    }

    public static boolean isVolumeFile(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return NiftiReader.isNifti(file) || n.endsWith(".tif") || n.endsWith(".tiff");
    }

    public static NiftiVolume read(Path file) throws IOException {
        if (NiftiReader.isNifti(file)) {
            return NiftiReader.read(file);
        }
        List<Image2D> pages = ImageFileReader.readStack(file);
        Image2D first = pages.get(0);
        int w = first.width();
        int h = first.height();
        NiftiVolume v = NiftiVolume.blank(w, h, pages.size(), first.spacing().x(), first.spacing().y(), 1.0, NiftiDataType.FLOAT32);
        float[] values = v.values();
        for (int k = 0; k < pages.size(); k++) {
            Image2D p = pages.get(k);
            if (p.channels() != 1) {
                throw new ImageFormatException(file, "page " + k + " has " + p.channels() + " channels; a volume stack must be grey");
            }
            if (p.width() != w || p.height() != h) {
                throw new ImageFormatException(file, "page " + k + " is " + p.width() + "x" + p.height() + " but page 0 is " + w + "x" + h);
            }
            System.arraycopy(p.data(), 0, values, k * w * h, w * h);
        }
        return v;
    }
}
