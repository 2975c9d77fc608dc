package org.danseg.io.slide;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.metadata.IIOMetadata;
import org.danseg.io.PixelSpacing;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * The pixel size a slide states in its ImageDescription (TIFF tag 270): OME-XML's
 * {@code PhysicalSizeX}/{@code PhysicalSizeY} with their units (micrometres when absent, as the
 * OME schema says), or Aperio's {@code MPP = ...} (micrometres per pixel). Anything else keeps the
 * TIFF resolution tags' answer.
 */
final class SlideMetadata {
    private static final int IMAGE_DESCRIPTION = 270;
    private static final Pattern APERIO_MPP = Pattern.compile("\\|\\s*MPP\\s*=\\s*([0-9.eE+-]+)");
    private static final Pattern OME_SIZE = Pattern.compile("PhysicalSize([XY])=\"([0-9.eE+-]+)\"");
    private static final Pattern OME_UNIT = Pattern.compile("PhysicalSize([XY])Unit=\"([^\"]*)\"");

    private SlideMetadata() {
    }

    static PixelSpacing spacing(IIOMetadata metadata, PixelSpacing fromResolutionTags) {
        String description = description(metadata);
        if (description == null) {
            return fromResolutionTags;
        }
        PixelSpacing stated = fromDescription(description);
        return stated == null ? fromResolutionTags : stated;
    }

    /** The pixel size (mm) an OME-XML or Aperio description states, or null. */
    static PixelSpacing fromDescription(String description) {
        if (description.startsWith("Aperio")) {
            Matcher m = APERIO_MPP.matcher(description);
            if (m.find()) {
                double um = parse(m.group(1));
                return um > 0 && Double.isFinite(um) ? PixelSpacing.millimetres(um / 1000, um / 1000) : null;
            }
            return null;
        }
        if (description.contains("<OME") || description.contains("<Pixels")) {
            int pixels = description.indexOf("<Pixels");
            if (pixels < 0) {
                return null;
            }
            String element = description.substring(pixels, Math.max(pixels, description.indexOf('>', pixels)));
            double[] mm = {Double.NaN, Double.NaN};
            Matcher size = OME_SIZE.matcher(element);
            while (size.find()) {
                mm[size.group(1).equals("X") ? 0 : 1] = parse(size.group(2));
            }
            Matcher unit = OME_UNIT.matcher(element);
            double[] toMm = {1e-3, 1e-3};
            while (unit.find()) {
                toMm[unit.group(1).equals("X") ? 0 : 1] = millimetresPer(unit.group(2));
            }
            double x = mm[0] * toMm[0];
            double y = mm[1] * toMm[1];
            return x > 0 && y > 0 && Double.isFinite(x) && Double.isFinite(y) ? PixelSpacing.millimetres(x, y) : null;
        }
        return null;
    }

    private static double millimetresPer(String unit) {
        return switch (unit.trim().toLowerCase(Locale.ROOT)) {
            case "nm" -> 1e-6;
            case "mm" -> 1.0;
            case "cm" -> 10.0;
            case "m" -> 1000.0;
            case "µm", "μm", "um", "micron", "micrometer", "micrometre" -> 1e-3;
            default -> Double.NaN;
        };
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Tag 270 from the TIFF plugin's native metadata tree, or null. TwelveMonkeys (3.14.0) cannot
     * build that tree for a page with an IFD8-typed tag ("IllegalArgumentException: IFD8": a BigTIFF
     * OME pyramid's SubIFDs, as tifffile writes them; repro: scripts/repro/Ifd8MetadataRepro.java):
     * there the standard tree's text entry is read instead.
     */
    static String description(IIOMetadata metadata) {
        if (metadata == null || metadata.getNativeMetadataFormatName() == null) {
            return null;
        }
        try {
            return find(metadata.getAsTree(metadata.getNativeMetadataFormatName()));
        } catch (IllegalArgumentException e) {
            return metadata.isStandardMetadataFormatSupported() ? standardText(metadata.getAsTree("javax_imageio_1.0")) : null;
        }
    }

    /** The ImageDescription entry of the standard tree's Text node, or null. */
    private static String standardText(Node node) {
        if ("TextEntry".equals(node.getNodeName())) {
            NamedNodeMap a = node.getAttributes();
            Node keyword = a == null ? null : a.getNamedItem("keyword");
            Node value = a == null ? null : a.getNamedItem("value");
            return keyword != null && value != null && "ImageDescription".equals(keyword.getNodeValue()) ? value.getNodeValue() : null;
        }
        for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            String found = standardText(c);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String find(Node node) {
        if ("TIFFField".equals(node.getNodeName())) {
            NamedNodeMap a = node.getAttributes();
            Node number = a == null ? null : a.getNamedItem("number");
            if (number != null && String.valueOf(IMAGE_DESCRIPTION).equals(number.getNodeValue())) {
                return firstValue(node);
            }
            return null;
        }
        for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            String found = find(c);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String firstValue(Node node) {
        for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            NamedNodeMap a = c.getAttributes();
            Node value = a == null ? null : a.getNamedItem("value");
            if (value != null) {
                return value.getNodeValue();
            }
            String deeper = firstValue(c);
            if (deeper != null) {
                return deeper;
            }
        }
        return null;
    }
}
