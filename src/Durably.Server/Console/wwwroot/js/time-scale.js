// The timeline's axis. It can collapse idle time (Temporal's "collapse idle time"): each gap between two invocations
// longer than a tenth of the span becomes a narrow break, so a three-minute wait for an approval does not squash the
// steps around it to a pixel. Pure: no DOM.

/** How much of the axis (percent) a collapsed gap takes. */
const breakPercent = 4;

/** The gaps between consecutive invocations longer than `minimumFraction` of the axis: nothing ran then. */
export function idleGaps(invocations, axis, minimumFraction = 0.1) {
  const span = axis.end - axis.start;
  const sorted = invocations.filter((i) => i.start !== undefined && i.end !== undefined).sort((a, b) => a.start - b.start);
  const gaps = [];
  for (let index = 1; index < sorted.length; index++) {
    const start = Math.max(...sorted.slice(0, index).map((i) => i.end));
    const end = sorted[index].start;
    if (end - start > span * minimumFraction) gaps.push({ start, end });
  }
  return gaps;
}

/** Maps times (epoch seconds) to percents of the axis and back, skipping `gaps` (sorted, not overlapping). */
export function timeScale(axis, gaps = []) {
  const span = Math.max(axis.end - axis.start, 0.001);
  const idle = gaps.reduce((sum, gap) => sum + gap.end - gap.start, 0);
  const perSecond = (100 - breakPercent * gaps.length) / Math.max(span - idle, 0.001);

  const position = (t) => {
    const time = Math.min(Math.max(t, axis.start), axis.end);
    let percent = 0;
    let cursor = axis.start;
    for (const gap of gaps) {
      if (time <= gap.start) break;
      percent += (gap.start - cursor) * perSecond;
      if (time < gap.end) return percent + (breakPercent * (time - gap.start)) / (gap.end - gap.start);
      percent += breakPercent;
      cursor = gap.end;
    }
    return Math.min(100, percent + (time - cursor) * perSecond);
  };

  const timeAt = (percentWanted) => {
    let percent = 0;
    let cursor = axis.start;
    for (const gap of gaps) {
      const before = percent + (gap.start - cursor) * perSecond;
      if (percentWanted <= before) break;
      if (percentWanted < before + breakPercent) return gap.start + ((percentWanted - before) / breakPercent) * (gap.end - gap.start);
      percent = before + breakPercent;
      cursor = gap.end;
    }
    return Math.min(axis.end, cursor + (percentWanted - percent) / perSecond);
  };

  return { position, timeAt, gaps };
}
