package org.danseg.spark;

import java.io.Serializable;

/**
 * One part of a slide as it moves through the job: planned (which tile rows), predicted (its label
 * part file, how many tiles ran and how much foreground), or the slide's whole outcome when it
 * was skipped or could not be planned. A bean, for Spark's encoder.
 */
public class SlidePart implements Serializable {
    /** To be predicted. */
    public static final String PLANNED = "planned";

    private String input;
    private String mask;
    private int part;
    private int parts;
    private int fromRow;
    private int toRow;
    private String status;
    private String message;
    private long tiles;
    private long skippedTiles;
    private long foreground;
    private int width;
    private int height;
    private double seconds;

    public SlidePart() {
    }

    static SlidePart of(String input, String mask, String status, String message) {
        SlidePart p = new SlidePart();
        p.input = input;
        p.mask = mask;
        p.status = status;
        p.message = message;
        return p;
    }

    /** The name of this part's label file in the slide's parts folder. */
    String fileName() {
        return String.format(java.util.Locale.ROOT, "part-%05d-of-%05d-rows-%d-%d.labels", part, parts, fromRow, toRow);
    }

    public String getInput() {
        return input;
    }

    public void setInput(String input) {
        this.input = input;
    }

    public String getMask() {
        return mask;
    }

    public void setMask(String mask) {
        this.mask = mask;
    }

    public int getPart() {
        return part;
    }

    public void setPart(int part) {
        this.part = part;
    }

    public int getParts() {
        return parts;
    }

    public void setParts(int parts) {
        this.parts = parts;
    }

    public int getFromRow() {
        return fromRow;
    }

    public void setFromRow(int fromRow) {
        this.fromRow = fromRow;
    }

    public int getToRow() {
        return toRow;
    }

    public void setToRow(int toRow) {
        this.toRow = toRow;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public long getTiles() {
        return tiles;
    }

    public void setTiles(long tiles) {
        this.tiles = tiles;
    }

    public long getSkippedTiles() {
        return skippedTiles;
    }

    public void setSkippedTiles(long skippedTiles) {
        this.skippedTiles = skippedTiles;
    }

    public long getForeground() {
        return foreground;
    }

    public void setForeground(long foreground) {
        this.foreground = foreground;
    }

    public int getWidth() {
        return width;
    }

    public void setWidth(int width) {
        this.width = width;
    }

    public int getHeight() {
        return height;
    }

    public void setHeight(int height) {
        this.height = height;
    }

    public double getSeconds() {
        return seconds;
    }

    public void setSeconds(double seconds) {
        this.seconds = seconds;
    }
}
