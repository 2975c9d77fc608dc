package org.danseg.spark;

import java.io.Serializable;

/** One row of results.parquet: an input, what became of it, and what danseg measured on the way. */
public class SegmentationResult implements Serializable {
    /** ok: segmented now; skipped: its output existed (a rerun without --force); error: see message. */
    public static final String OK = "ok";
    public static final String SKIPPED = "skipped";
    public static final String ERROR = "error";

    private String input;
    private String output;
    private String status;
    private String message;
    private Double enScore;
    private Double foregroundFraction;
    private Integer width;
    private Integer height;
    private Integer depth;
    private double seconds;

    public SegmentationResult() {
    }

    static SegmentationResult of(String input, String output, String status, String message, double seconds) {
        SegmentationResult r = new SegmentationResult();
        r.input = input;
        r.output = output;
        r.status = status;
        r.message = message;
        r.seconds = seconds;
        return r;
    }

    public String getInput() {
        return input;
    }

    public void setInput(String input) {
        this.input = input;
    }

    public String getOutput() {
        return output;
    }

    public void setOutput(String output) {
        this.output = output;
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

    public Double getEnScore() {
        return enScore;
    }

    public void setEnScore(Double enScore) {
        this.enScore = enScore;
    }

    public Double getForegroundFraction() {
        return foregroundFraction;
    }

    public void setForegroundFraction(Double foregroundFraction) {
        this.foregroundFraction = foregroundFraction;
    }

    public Integer getWidth() {
        return width;
    }

    public void setWidth(Integer width) {
        this.width = width;
    }

    public Integer getHeight() {
        return height;
    }

    public void setHeight(Integer height) {
        this.height = height;
    }

    public Integer getDepth() {
        return depth;
    }

    public void setDepth(Integer depth) {
        this.depth = depth;
    }

    public double getSeconds() {
        return seconds;
    }

    public void setSeconds(double seconds) {
        this.seconds = seconds;
    }
}
