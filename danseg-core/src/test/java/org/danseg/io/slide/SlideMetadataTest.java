package org.danseg.io.slide;

import static org.assertj.core.api.Assertions.assertThat;

import org.danseg.io.PixelSpacing;
import org.junit.jupiter.api.Test;

class SlideMetadataTest {

    @Test
    void aperioStatesMicrometresPerPixel() {
        String svs = "Aperio Image Library v11.2.1 \r\n46000x32914 [0,100 46000x32714] (240x240) JPEG/RGB Q=30|AppMag = 20|MPP = 0.4990|Filename = x";
        PixelSpacing s = SlideMetadata.fromDescription(svs);
        assertThat(s.unit()).isEqualTo("mm");
        assertThat(s.x()).isCloseTo(0.000499, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(s.y()).isEqualTo(s.x());
    }

    @Test
    void omeStatesPhysicalSizesWithTheirUnitsMicrometresByDefault() {
        String ome = "<?xml version=\"1.0\"?><OME xmlns=\"http://www.openmicroscopy.org/Schemas/OME/2016-06\"><Image ID=\"Image:0\">"
                + "<Pixels DimensionOrder=\"XYCZT\" ID=\"Pixels:0\" PhysicalSizeX=\"0.25\" PhysicalSizeY=\"0.5\" PhysicalSizeYUnit=\"nm\" "
                + "SizeC=\"3\" SizeX=\"100\" SizeY=\"80\" Type=\"uint8\"></Pixels></Image></OME>";
        PixelSpacing s = SlideMetadata.fromDescription(ome);
        assertThat(s.x()).isCloseTo(0.00025, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(s.y()).isCloseTo(0.0000005, org.assertj.core.api.Assertions.within(1e-15));
    }

    @Test
    void otherDescriptionsAndBrokenNumbersStateNothing() {
        assertThat(SlideMetadata.fromDescription("ImageJ=1.54f\nimages=1")).isNull();
        assertThat(SlideMetadata.fromDescription("Aperio Image Library |MPP = abc|")).isNull();
        assertThat(SlideMetadata.fromDescription("Aperio Image Library |MPP = 0|")).isNull();
        assertThat(SlideMetadata.fromDescription("<OME><Pixels PhysicalSizeX=\"0.25\"></Pixels></OME>")).isNull();
        assertThat(SlideMetadata.fromDescription("<OME><Pixels PhysicalSizeX=\"1\" PhysicalSizeY=\"1\" PhysicalSizeXUnit=\"parsec\"></Pixels></OME>"))
                .isNull();
    }
}
