package com.connectbest.chat.loadtest;

/** Due times of an open-model run's requests, in order, as offsets from the run's start. */
interface Timetable {

  long size();

  long dueOffsetNanos(long index);

  /** When the load ends (the last request may be due earlier). */
  long durationNanos();
}
