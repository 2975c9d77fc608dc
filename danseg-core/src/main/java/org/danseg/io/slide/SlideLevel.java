package org.danseg.io.slide;

/**
 * One level of a slide's pyramid: the TIFF page holding it, its size, its tile size and how many
 * level-0 pixels one of its pixels spans ({@code downsample}, 1 at full resolution).
 */
public record SlideLevel(int page, int width, int height, int tileWidth, int tileHeight, double downsample) {
}
