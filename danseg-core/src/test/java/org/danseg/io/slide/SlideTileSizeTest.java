package org.danseg.io.slide;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.danseg.io.ImageFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tile is decoded at its declared size, however little of it lies in the image: the fuzzer's
 * 626-byte slide declaring 318 832 656 x 16 pixel tiles on a 48 x 40 image made the TIFF reader
 * allocate past a 512 MB heap. It is refused when opened, naming the file and the tile size (seen
 * failing with the tile clipped to the image as before).
 */
class SlideTileSizeTest {

    @Test
    void aTileDeclaredFarLargerThanTheImageIsRefusedWhenOpened(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("wide-tiles.tif");
        try (var in = SlideTileSizeTest.class.getResourceAsStream("/org/danseg/io/ReaderFuzzTestInputs/fuzzSlide/found-tile-318832656-pixels-wide.tif")) {
            Files.copy(in, file);
        }
        assertThatThrownBy(() -> Slide.open(file).close()).isInstanceOf(ImageFormatException.class)
                .hasMessageContaining("wide-tiles.tif").hasMessageContaining("318832656x16 pixel tiles");
    }
}
