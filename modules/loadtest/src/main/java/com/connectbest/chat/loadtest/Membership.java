package com.connectbest.chat.loadtest;

import java.util.ArrayList;
import java.util.List;

/** Which of the run's users belong to which of its channels (indexes, not server ids). */
final class Membership {

  private final int[][] channelsOfUser;
  private final int[][] membersOfChannel;

  private Membership(int users, int channels, List<List<Integer>> byUser) {
    channelsOfUser = new int[users][];
    List<List<Integer>> byChannel = new ArrayList<>();
    for (int c = 0; c < channels; c++) {
      byChannel.add(new ArrayList<>());
    }
    for (int u = 0; u < users; u++) {
      channelsOfUser[u] = byUser.get(u).stream().mapToInt(Integer::intValue).toArray();
      for (int c : channelsOfUser[u]) {
        byChannel.get(c).add(u);
      }
    }
    membersOfChannel = byChannel.stream().map(m -> m.stream().mapToInt(Integer::intValue).toArray())
        .toArray(int[][]::new);
  }

  /** User u is in channel u mod M: M disjoint groups. */
  static Membership modulo(int users, int channels) {
    List<List<Integer>> byUser = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      byUser.add(List.of(u % channels));
    }
    return new Membership(users, channels, byUser);
  }

  /** Every user in every channel: with one channel, the largest fan-out. */
  static Membership everyone(int users, int channels) {
    List<Integer> all = new ArrayList<>();
    for (int c = 0; c < channels; c++) {
      all.add(c);
    }
    List<List<Integer>> byUser = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      byUser.add(all);
    }
    return new Membership(users, channels, byUser);
  }

  /**
   * Teams of {@code teamSize} consecutive users, each with its own channel, plus one company-wide channel (the
   * last index) that everybody is in.
   */
  static Membership teams(int users, int teamSize) {
    int teams = Math.max(1, (users + teamSize - 1) / teamSize);
    List<List<Integer>> byUser = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      byUser.add(List.of(u / teamSize, teams));
    }
    return new Membership(users, teams + 1, byUser);
  }

  static Membership of(String pattern, int users, int channels) {
    return switch (pattern) {
      case "mod" -> modulo(users, channels);
      case "all" -> everyone(users, channels);
      default -> throw new IllegalArgumentException("--pattern must be mod or all, not " + pattern);
    };
  }

  int users() {
    return channelsOfUser.length;
  }

  int channels() {
    return membersOfChannel.length;
  }

  int[] channelsOf(int user) {
    return channelsOfUser[user];
  }

  int[] membersOf(int channel) {
    return membersOfChannel[channel];
  }
}
