package com.connectbest.chat.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A small line chart as inline SVG, so that the HTML report needs nothing from the network. */
final class SvgChart {

  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
      "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
  private static final int WIDTH = 900;
  private static final int HEIGHT = 300;
  private static final int LEFT = 70;
  private static final int RIGHT = 160;
  private static final int TOP = 20;
  private static final int BOTTOM = 40;

  record Series(String name, List<double[]> points, boolean dashed) {
  }

  record Tick(double x, String label) {
  }

  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private List<Tick> xTicks;

  SvgChart(String xLabel, String yLabel) {
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  SvgChart add(Series line) {
    if (!line.points().isEmpty()) {
      series.add(line);
    }
    return this;
  }

  /** Fixed x ticks (e.g. percentiles on a log scale); without them the x axis gets evenly spaced numbers. */
  SvgChart xTicks(List<Tick> ticks) {
    this.xTicks = ticks;
    return this;
  }

  boolean isEmpty() {
    return series.isEmpty();
  }

  String render() {
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = 0;
    for (Series line : series) {
      for (double[] point : line.points()) {
        minX = Math.min(minX, point[0]);
        maxX = Math.max(maxX, point[0]);
        maxY = Math.max(maxY, point[1]);
      }
    }
    if (xTicks != null) {
      for (Tick tick : xTicks) {
        minX = Math.min(minX, tick.x());
        maxX = Math.max(maxX, tick.x());
      }
    }
    if (maxX <= minX) {
      maxX = minX + 1;
    }
    double top = niceCeiling(maxY);
    StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
            + "font-family=\"sans-serif\" font-size=\"11\">", WIDTH, HEIGHT, WIDTH, HEIGHT));
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    for (int i = 0; i <= 5; i++) {
      double value = top * i / 5;
      double y = TOP + plotHeight - plotHeight * i / 5.0;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT, y, LEFT + plotWidth, y, LEFT - 6, y + 4,
          number(value)));
    }
    List<Tick> ticks = xTicks != null ? xTicks : evenTicks(minX, maxX);
    for (Tick tick : ticks) {
      double x = LEFT + plotWidth * (tick.x() - minX) / (maxX - minX);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
          + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, TOP, x, TOP + plotHeight, x,
          TOP + plotHeight + 15, escape(tick.label())));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
        LEFT + plotWidth / 2, HEIGHT - 5, escape(xLabel)));
    svg.append(String.format(Locale.ROOT, "<text transform=\"translate(14,%d) rotate(-90)\" text-anchor=\"middle\">"
        + "%s</text>", TOP + plotHeight / 2, escape(yLabel)));
    for (int s = 0; s < series.size(); s++) {
      Series line = series.get(s);
      String color = COLORS[s % COLORS.length];
      StringBuilder path = new StringBuilder();
      for (double[] point : line.points()) {
        double x = LEFT + plotWidth * (point[0] - minX) / (maxX - minX);
        double y = TOP + plotHeight - plotHeight * (top == 0 ? 0 : point[1] / top);
        path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
      }
      svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"%s/>",
          path, color, line.dashed() ? " stroke-dasharray=\"5 3\"" : ""));
      int legendY = TOP + 14 * s + 8;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
              + "stroke-width=\"3\"/><text x=\"%d\" y=\"%d\">%s</text>", WIDTH - RIGHT + 10, legendY,
          WIDTH - RIGHT + 30, legendY, color, WIDTH - RIGHT + 35, legendY + 4, escape(line.name())));
    }
    return svg.append("</svg>").toString();
  }

  private static List<Tick> evenTicks(double minX, double maxX) {
    List<Tick> ticks = new ArrayList<>();
    double step = niceCeiling((maxX - minX) / 8);
    for (double x = Math.ceil(minX / step) * step; x <= maxX + 1e-9; x += step) {
      ticks.add(new Tick(x, number(x)));
    }
    return ticks;
  }

  static double niceCeiling(double value) {
    if (value <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (double factor : new double[] {1, 2, 2.5, 5, 10}) {
      if (factor * magnitude >= value) {
        return factor * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String number(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.2f", value);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
